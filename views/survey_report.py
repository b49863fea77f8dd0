"""A closed survey's results: the text, a PNG chart of the satisfaction rate per question
against the 90% target, and a workbook with one row per owner asked."""

import asyncio
import io
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from aiogram import Bot
from aiogram.types import BufferedInputFile

from domain.satisfaction import SCALES, Dimension, Rate
from domain.surveys import SATISFACTION_TARGET, Progress, results
from services.surveys import surveys, where_it_stands
from storage.surveys import Recipient, Survey, SurveyRepository
from storage.unit_of_work import UnitOfWork
from views.i18n import Translator
from views.notifier import Notifier
from views.surveys import show_progress

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class OwnerRow:
    owner: str
    units: str
    asked_at: datetime
    returned_at: datetime | None
    scores: dict[int, int]  # question position → score
    suggestion: str | None


def results_text(t: Translator, survey: Survey, rates: dict[Dimension, Rate], figures: Progress) -> str:
    total = figures.total
    lines = [
        t(
            "survey.results",
            id=survey.id,
            reached=total.reached,
            units=total.units,
            returned=total.returned,
        )
    ]
    for number, dimension in enumerate(survey.questions, start=1):
        rate = rates.get(Dimension(dimension), Rate(0, 0))
        percent = "—" if rate.percent is None else f"{rate.percent:g}%"
        lines.append(
            t(
                "survey.result_line",
                number=number,
                dimension=t(f"dimension.{dimension}"),
                rate=percent,
                satisfied=rate.satisfied,
                answers=rate.answers,
            )
        )
    return "\n".join(lines)


def chart(t: Translator, survey: Survey, rates: dict[Dimension, Rate]) -> bytes:
    # on first use: it takes seconds to import, and the bot starts without it; a Figure of
    # its own (not pyplot's global one) draws safely in a worker thread
    from matplotlib.figure import Figure

    values = [rates.get(Dimension(d), Rate(0, 0)).percent or 0.0 for d in survey.questions]
    figure = Figure(figsize=(6, 3.5), dpi=100)
    axes = figure.subplots()
    axes.bar(range(len(values)), values, color=["#2e7d32" if v >= SATISFACTION_TARGET else "#c62828" for v in values])
    axes.axhline(SATISFACTION_TARGET, color="#555555", linestyle="--", linewidth=1)
    # numbered as in the text beside it: the default font has no CJK glyphs
    axes.set_xticks(range(len(values)), [f"{i + 1}" for i in range(len(values))])
    axes.set_ylim(0, 100)
    axes.set_ylabel("%")
    axes.set_title(f"#{survey.id}")
    for index, value in enumerate(values):
        axes.text(index, value + 1, f"{value:g}", ha="center", fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _local(moment: datetime | None, tz: tzinfo) -> datetime | None:
    """A spreadsheet date has no zone: the property's local time."""
    return None if moment is None else moment.astimezone(tz).replace(tzinfo=None)


def _finish(sheet: "Worksheet", widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def workbook(
    t: Translator, survey: Survey, owners: list[OwnerRow], figures: Progress, rates: dict[Dimension, Rate], tz: tzinfo
) -> bytes:
    from openpyxl import Workbook  # on first use, like matplotlib

    book = Workbook()
    sheet = book.active
    sheet.title = t("survey.sheet_answers")[:31]
    questions = [t(f"dimension.{d}") for d in survey.questions]
    sheet.append(
        [
            t("survey.col_owner"),
            t("survey.col_units"),
            t("survey.col_asked"),
            t("survey.col_returned"),
            *questions,
            t("survey.col_suggestion"),
        ]
    )
    levels = SCALES[survey.scale]
    for row in owners:
        scores = [t(f"scale.{levels[row.scores[i] - 1]}") if i in row.scores else None for i in range(len(questions))]
        sheet.append(
            [row.owner, row.units, _local(row.asked_at, tz), _local(row.returned_at, tz), *scores, row.suggestion]
        )
    for cells in sheet.iter_rows(min_row=2, min_col=3, max_col=4):
        for cell in cells:
            cell.number_format = "yyyy-mm-dd hh:mm"
    _finish(sheet, [18, 16, 18, 18, *[16] * len(questions), 40])
    summary = book.create_sheet(t("survey.sheet_summary")[:31])
    summary.append(
        [
            t("survey.col_block"),
            t("survey.col_units_in_scope"),
            t("survey.col_reached"),
            t("survey.col_reach_rate"),
            t("survey.col_returned_units"),
            t("survey.col_return_rate"),
        ]
    )
    for block in [*figures.blocks, figures.total]:
        name = t("survey.all_blocks") if block.block == "*" else block.block
        summary.append([name, block.units, block.reached, block.reach_rate, block.returned, block.return_rate])
    summary.append([])
    summary.append([t("survey.col_question"), t("survey.col_satisfied"), t("survey.col_answers"), t("survey.col_rate")])
    for dimension, name in zip(survey.questions, questions, strict=True):
        rate = rates.get(Dimension(dimension), Rate(0, 0))
        summary.append([name, rate.satisfied, rate.answers, rate.percent])
    _finish(summary, [18, 16, 12, 12, 14, 12])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def close(notifier: Notifier, uow: UnitOfWork, survey_id: int) -> tuple[Survey, bytes, bytes] | None:
    """Close the survey once (two closers at once: one wins), queue the results text to the
    managers' chat, commit, and hand back the chart and the workbook to send."""
    services = notifier.services
    repository = surveys(uow)
    if not await repository.close(survey_id, services.clock.now()):
        return None
    survey = await repository.get(survey_id)
    assert survey is not None
    with uow.reading_at_length():  # a whole property's owners, each with his units and scores
        recipients = await repository.recipients(survey_id)
        figures = await where_it_stands(services, uow, survey, recipients)
        await show_progress(notifier, uow, survey, figures)
        answers = await repository.answers(survey_id)
        owners = await _owner_rows(uow, repository, survey_id, recipients, answers)
    returned = {r.id for r in recipients if r.returned_at is not None}
    rates = results((dimension, score) for rid, _position, dimension, score in answers if rid in returned)
    t = notifier.t
    if survey.progress_chat_id is not None:
        await notifier.say(uow, survey.progress_chat_id, results_text(t, survey, rates, figures))
    # seconds of drawing for a large survey: after the commit, so no write lock is held
    # meanwhile, and off the event loop, which keeps answering owners
    await uow.commit()
    book = await asyncio.to_thread(workbook, t, survey, owners, figures, rates, services.tz)
    return survey, await asyncio.to_thread(chart, t, survey, rates), book


async def _owner_rows(
    uow: UnitOfWork,
    repository: SurveyRepository,
    survey_id: int,
    recipients: list[Recipient],
    answers: list[tuple[int, int, str, int]],
) -> list[OwnerRow]:
    """A row per owner asked, read in a few queries whatever their number."""
    names = await repository.names_asked(survey_id)
    units = await uow.owners.units_by_id(unit for recipient in recipients for unit in recipient.unit_ids)
    scores: dict[int, dict[int, int]] = {}
    for recipient_id, position, _dimension, score in answers:
        scores.setdefault(recipient_id, {})[position] = score
    return [
        OwnerRow(
            names.get(recipient.owner_user_id, str(recipient.owner_user_id)),
            ", ".join(units[unit].label for unit in recipient.unit_ids if unit in units),
            recipient.asked_at,
            recipient.returned_at,
            scores.get(recipient.id, {}),
            recipient.suggestion,
        )
        for recipient in recipients
    ]


async def send_files(bot: Bot, chat_id: int, survey: Survey, png: bytes, xlsx: bytes) -> None:
    """The files go straight to Telegram: the outbox keeps text, not bytes."""
    await bot.send_photo(chat_id, BufferedInputFile(png, f"survey-{survey.id}.png"))
    await bot.send_document(chat_id, BufferedInputFile(xlsx, f"survey-{survey.id}.xlsx"))
