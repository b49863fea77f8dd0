"""The `baoxiu` command: run, import-units, check-config (contract.md, "Install and run")."""

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.export import add_command as add_export
from domain.roster import parse_roster
from settings.config import Config, ConfigError, load_config


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        config = load_config(Path(args.config))
    except ConfigError as error:
        for problem in error.problems:
            print(f"config problem: {problem}", file=sys.stderr)
        return 2
    return args.action(config, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="baoxiu", description="The repair desk of a property, in Telegram.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="run the bot until SIGINT or SIGTERM")
    run.set_defaults(action=_run)
    check = commands.add_parser("check-config", help="validate the configuration file and print every problem")
    check.set_defaults(action=_check)
    roster = commands.add_parser("import-units", help="load or update the owner roster from a CSV file")
    roster.add_argument("file", help="CSV with the header block,unit,owner_name,phone,handover_date,language")
    roster.set_defaults(action=_import_units)
    export = add_export(commands)
    for command in (run, check, roster, export):
        command.add_argument("--config", required=True, help="path to the TOML configuration file")
    return parser


def _check(config: Config, _args) -> int:
    print(
        f"{config.property.name}: configuration is valid "
        f"({len(config.blocks)} blocks, {len(config.contractors)} contractors)"
    )
    for warning in config_warnings(config):
        print(f"warning: {warning}")
    return 0


def config_warnings(config: Config) -> list[str]:
    warnings = []
    if config.staff.alert_chat_id is None:
        warnings.append("staff.alert_chat_id is not set: jobs nobody can take and binding requests have nowhere to go")
    if not config.staff.managers:
        warnings.append("staff.managers is empty: nobody can /bind groups or approve owners")
    for contractor in config.contractors:
        if contractor.chat_id is None:
            warnings.append(
                f'contractors "{contractor.code}" has no chat_id: bind its group with /bind {contractor.code}'
            )
    return warnings


def _import_units(config: Config, args) -> int:
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read {path}: {error}", file=sys.stderr)
        return 2
    rows, problems = parse_roster(
        text.splitlines(), config.block_codes(), set(config.property.languages), config.property.phone_region
    )
    changed = asyncio.run(_store_roster(config, rows))
    for problem in problems:
        print(f"line {problem.line}: {problem.reason}", file=sys.stderr)
    print(f"{len(rows)} rows loaded ({changed} new or changed), {len(problems)} bad")
    return 1 if problems else 0


async def _store_roster(config: Config, rows) -> int:
    from storage.database import create_engine, migrate, session_factory
    from storage.unit_of_work import UnitOfWork

    engine = create_engine(config.storage.database_url)
    try:
        await migrate(engine)
        async with UnitOfWork(session_factory(engine)) as uow:
            return sum([await uow.owners.import_row(row) for row in rows])
    finally:
        await engine.dispose()


def _run(config: Config, _args) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from bot.app import build, serve

    asyncio.run(serve(build(config)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
