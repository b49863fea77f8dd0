"""`baoxiu export`: the records of a period for the archive (services/export.py)."""

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from settings.config import Config


def add_command(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> argparse.ArgumentParser:
    command = commands.add_parser("export", help="write the tickets, callbacks, ratings and complaints of a period")
    command.add_argument("--since", required=True, type=_day, help="first day, YYYY-MM-DD")
    command.add_argument("--until", required=True, type=_day, help="last day (included), YYYY-MM-DD")
    command.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    command.add_argument("--output", help="the .xlsx file, or the folder for the CSV files")
    command.set_defaults(action=run_export)
    return command


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a date like 2026-01-31') from None


def run_export(config: Config, args: argparse.Namespace) -> int:
    if args.since > args.until:
        print("--since must not be after --until", file=sys.stderr)
        return 2
    default = f"baoxiu-export-{args.since}-{args.until}" + (".xlsx" if args.format == "xlsx" else "")
    output = Path(args.output or default)
    counts = asyncio.run(_export(config, args.since, args.until, args.format, output))
    print(f"{output}: " + ", ".join(f"{count} {table}" for table, count in counts.items()))
    return 0


async def _export(config: Config, since: date, until: date, fmt: str, output: Path) -> dict[str, int]:
    from services.export import export
    from storage.database import create_engine, migrate, session_factory
    from storage.unit_of_work import UnitOfWork

    engine = create_engine(config.storage.database_url)
    try:
        await migrate(engine)
        async with UnitOfWork(session_factory(engine)) as uow:
            return await export(uow, since, until, config.tz, fmt, output)
    finally:
        await engine.dispose()
