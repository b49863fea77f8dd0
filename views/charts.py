"""A report's chart as PNG bytes: matplotlib without a display (Agg). Chinese labels need a
CJK font; when none is installed the chart falls back to English labels rather than boxes.

matplotlib is imported at the first chart, not at start: it costs about a second of CPU and
tens of MiB in every worker, and charts are drawn a few times a month."""

import io
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from services.reporting import Chart, Report
from views.i18n import Catalogs, Translator
from views.report_text import NO_NAMES, Names, cell_label, title

# what Debian's fonts-noto-cjk and fonts-wqy-microhei install
# (WenQuanYi first: the first face of Noto's collection is the Japanese one)
CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
NEEDS_CJK = {"zh"}
COLOURS = ("#2f6db5", "#e07b39")

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@cache
def _pyplot() -> ModuleType:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


@cache
def cjk_font() -> str | None:
    """The family name of an installed CJK font, registered with matplotlib; None if there is none."""
    from matplotlib import font_manager

    for path in CJK_FONTS:
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    return None


def plain(text: str) -> str:
    """Without the emoji the chat shows: chart fonts have none."""
    return "".join(ch for ch in text if not _emoji(ch)).strip()


def _emoji(ch: str) -> bool:
    return ord(ch) >= 0x1F000 or 0x2600 <= ord(ch) <= 0x27BF or ch == "\ufe0f"


def chart_translator(catalogs: Catalogs, language: str) -> Translator:
    """The reader's language if the chart can draw it, else English."""
    if language in NEEDS_CJK and cjk_font() is None:
        return catalogs.translator("en")
    return catalogs.translator(language)


def chart_png(report: Report, t: Translator, names: Names = NO_NAMES) -> bytes:
    family = cjk_font() if t.language in NEEDS_CJK else None
    style: dict[str, Any] = {"font.family": [family, "DejaVu Sans"]} if family else {}
    plt = _pyplot()
    with plt.rc_context(style):  # type: ignore[arg-type]
        figure, axes = plt.subplots(1, len(report.charts), figsize=(6 * len(report.charts), 4.8), squeeze=False)
        for ax, chart in zip(axes[0], report.charts, strict=True):
            _panel(ax, report, chart, t, names)
        figure.suptitle(plain(title(t, report, names).replace("\n", " · ")), fontsize=12)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=110)
        plt.close(figure)
    return buffer.getvalue()


def _panel(ax: "Axes", report: Report, chart: Chart, t: Translator, names: Names) -> None:
    section = report.section(chart.section)
    pairs = [
        (plain(str(cell_label(t, chart.label, label, names))), value)
        for label, value in zip(section.column(chart.label), section.column(chart.value), strict=True)
        if value is not None
    ]
    ax.set_title(t(f"report.chart.{chart.title}"), fontsize=11)
    ax.set_ylabel(t(f"report.col.{chart.value}"))
    if not pairs:
        ax.text(0.5, 0.5, t("report.no_data"), ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        return
    labels, values = zip(*pairs, strict=True)
    if chart.band:
        ax.axhspan(*chart.band, color="#9bc59d", alpha=0.35, label=t("report.industry_range"))
    if chart.target is not None:
        target = t("report.target", percent=f"{chart.target:g}")
        ax.axhline(chart.target, color=COLOURS[1], linestyle="--", label=target)
    if chart.band or chart.target is not None:
        ax.legend(loc="lower right", fontsize=8)
    if chart.line:
        ax.plot(labels, values, marker="o", color=COLOURS[0])
        ax.set_ylim(0, 105)
    else:
        bars = ax.bar(labels, values, color=COLOURS[0])
        ax.bar_label(bars, fmt="%g", fontsize=8)
    if chart.value.endswith("pct") or chart.value == "percent":
        ax.set_ylim(0, 110)
    ax.tick_params(axis="x", labelrotation=30 if len(labels) > 3 else 0, labelsize=8)
    ax.grid(axis="y", alpha=0.3)
