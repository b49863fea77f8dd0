"""The figures managers read (docs/rules.md): satisfaction per dimension and overall,
callbacks asked and answered, repeat repairs, and closures by silence counted apart."""

from dataclasses import dataclass

from domain.satisfaction import Dimension, Rate, overall_rate, rates_by_dimension
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ServiceReport:
    rates: dict[Dimension, Rate]  # timeliness, skill, attitude, price
    overall: Rate  # 综合满意率: the overall rating of each returned rating
    callbacks: dict[str, int]  # by status
    confirmed: int
    closed_by_silence: int
    repeat_repairs: int


async def service_report(uow: UnitOfWork) -> ServiceReport:
    scores = [(Dimension(dimension), score) for dimension, score in await uow.callbacks.all_scores()]
    statuses = await uow.tickets.count_by_status()
    return ServiceReport(
        rates={d: rate for d, rate in rates_by_dimension(scores).items() if d is not Dimension.OVERALL},
        overall=overall_rate(scores),
        callbacks=await uow.callbacks.count_by_status(),
        confirmed=statuses.get("closed", 0),
        closed_by_silence=statuses.get("closed_by_silence", 0),
        repeat_repairs=await uow.tickets.count_repeats(),
    )
