"""/report week|month|quarter|contractor [block] [contractor] [period]: a manager's report
as text, a chart and a workbook (services/reporting/, views/report_files.py)."""

from dataclasses import dataclass

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from domain.reporting import ReportKind, current_period, parse_period
from services.context import Services
from services.reporting import Scope, build_report
from settings.config import Config
from views.i18n import Catalogs, Translator
from views.report_files import render_report, report_names

# "/report" alone is an owner reporting a repair (handlers/owner/report.py); with words
# after it, it is a manager asking for a report, and "/report month" from anyone else is refused
ASKS_FOR_A_REPORT = Command("report", magic=F.args.regexp(rf"(?i)^({'|'.join(ReportKind)})\b"))


def setup() -> Router:
    router = Router(name="manager-reports")
    router.message.register(report_command, Command("report", magic=F.args))
    return router


@dataclass(frozen=True)
class Asked:
    kind: ReportKind | None
    scope: Scope | None
    problem: str | None = None  # the word that was not understood


def parse_request(args: str, config: Config, services: Services) -> Asked:
    words = args.split()
    if not words or words[0].lower() not in set(ReportKind):
        return Asked(None, None)
    kind = ReportKind(words[0].lower())
    today = services.clock.now().astimezone(services.tz).date()
    period, block, contractor = None, None, None
    contractors = {c.code.lower(): c.code for c in config.contractors}
    blocks = {code.lower(): code for code in config.block_codes()}
    for word in words[1:]:  # each at most once: a second period or block is a word not understood
        if word.lower() in blocks and block is None:
            block = blocks[word.lower()]
        elif word.lower() in contractors and contractor is None:
            contractor = contractors[word.lower()]
        elif period is None and (asked := parse_period(kind, word)) is not None:
            period = asked
        else:
            return Asked(kind, None, word)
    return Asked(kind, Scope(period or current_period(kind, today), block, contractor))


async def report_command(
    message: Message,
    command: CommandObject,
    services: Services,
    config: Config,
    catalogs: Catalogs,
    language: str,
    t: Translator,
) -> None:
    asked = parse_request(command.args or "", config, services)
    if asked.kind is None or asked.scope is None:
        key = "report.not_understood" if asked.problem else "report.usage"
        await message.answer(
            t(
                key,
                word=asked.problem or "",
                blocks=", ".join(sorted(config.block_codes())),
                contractors=", ".join(c.code for c in config.contractors) or "—",
            )
        )
        return
    async with services.unit_of_work() as uow:  # read, and closed before talking to Telegram
        report = await build_report(uow, asked.kind, asked.scope, services.tz, services.clock.now())
    files = await render_report(report, catalogs, language, report_names(config))
    await message.answer(files.text)
    await message.answer_photo(BufferedInputFile(files.chart, files.chart_name))
    await message.answer_document(BufferedInputFile(files.workbook, files.workbook_name))
