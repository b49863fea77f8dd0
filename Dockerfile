# baoxiu in a container: slim, non-root, with a health check on the monitoring port.
#   docker build -t baoxiu .
#   docker compose up -d          (compose.yaml: the bot, PostgreSQL and Redis)
FROM python:3.11-slim AS build
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements.lock pyproject.toml README.md ./
RUN python -m venv /opt/baoxiu \
 && /opt/baoxiu/bin/pip install --require-hashes -r requirements.lock
COPY bot ./bot
COPY clock ./clock
COPY delivery ./delivery
COPY domain ./domain
COPY handlers ./handlers
COPY locales ./locales
COPY services ./services
COPY settings ./settings
COPY storage ./storage
COPY views ./views
RUN /opt/baoxiu/bin/pip install --no-deps .

FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/baoxiu --create-home baoxiu
COPY --from=build /opt/baoxiu /opt/baoxiu
# the catalogs are read from beside the code: keep them where views/i18n.py looks
COPY --from=build /src/locales /opt/baoxiu/lib/python3.11/site-packages/locales
ENV PATH=/opt/baoxiu/bin:$PATH PYTHONUNBUFFERED=1
USER baoxiu
WORKDIR /var/lib/baoxiu
VOLUME ["/var/lib/baoxiu"]
# [monitoring] port = 9108 and listen = "0.0.0.0" in the config, so the check reaches it
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:9108/healthz', timeout=4).status == 200 else 1)"
ENTRYPOINT ["baoxiu"]
CMD ["run", "--config", "/etc/baoxiu/config.toml"]
