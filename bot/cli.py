"""The `baoxiu` command: run, import-units, check-config, sandbox."""

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.export import add_command as add_export
from bot.logs import configure as configure_logging
from bot.redaction import install_token_filter
from domain.roster import parse_roster
from settings.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from bot.app import App


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.action is _sandbox:
        return _sandbox(args)
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
    keep = commands.add_parser("backup", help="copy the database and the evidence photos into a new directory")
    keep.add_argument("directory", help="where the backup goes (new or empty)")
    keep.set_defaults(action=_backup)
    back = commands.add_parser("restore", help="put a backup back (stop the bot first)")
    back.add_argument("directory", help="a directory `baoxiu backup` wrote")
    back.set_defaults(action=_restore)
    export = add_export(commands)
    for command in (run, check, roster, keep, back, export):
        command.add_argument("--config", required=True, help="path to the TOML configuration file")
    sandbox = commands.add_parser("sandbox", help="try the bot in a web page: a demo property, no Telegram needed")
    sandbox.add_argument("--port", type=int, help="the page's port on 127.0.0.1 (a free one if not given)")
    sandbox.add_argument("--no-browser", action="store_true", help="do not open the page in a browser")
    sandbox.set_defaults(action=_sandbox)
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
    warnings: list[str] = []
    hook = config.telegram.webhook
    if config.telegram.mode == "webhook" and hook is not None and hook.listen not in ("127.0.0.1", "::1", "localhost"):
        warnings.append(
            f"telegram.webhook.listen is {hook.listen}: the webhook is open beyond this machine, "
            "guarded by its secret alone"
        )
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


def _backup(config: Config, args) -> int:
    from storage.backup import BackupError, backup

    try:
        summary = backup(config.storage.database_url, config.storage.photo_dir, Path(args.directory))
    except BackupError as error:
        print(f"backup failed: {error}", file=sys.stderr)
        return 2
    tickets = f"{summary.tickets} tickets, " if summary.tickets >= 0 else ""
    print(f"backup written to {summary.directory} ({tickets}{summary.photos} photo files) and checked")
    return 0


def _restore(config: Config, args) -> int:
    from storage.backup import BackupError, restore

    try:
        summary = restore(Path(args.directory), config.storage.database_url, config.storage.photo_dir)
    except BackupError as error:
        print(f"restore refused: {error}", file=sys.stderr)
        return 2
    tickets = f"{summary.tickets} tickets, " if summary.tickets >= 0 else ""
    print(f"restored from {summary.directory} ({tickets}{summary.photos} photo files)")
    return 0


def _run(config: Config, _args) -> int:
    """Exit 0 when stopped by a signal, 2 for an operator's mistake (one line, no traceback)."""
    # A signal while aiogram loads or the bot is built is only noted, and honoured once the
    # event loop takes the signals over: an exception raised in the middle of an import
    # can surface as some other error, with a traceback.
    stop_asked: list[int] = []
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda number, _frame: stop_asked.append(number))
    configure_logging(config.logging.format, config.logging.level)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # a line per plugin, every start
    token_filter = install_token_filter(config.telegram.token.get_secret_value())
    from bot.app import build  # aiogram loads slowly; the other commands do without it
    from bot.heap import settle
    from bot.startup import CannotStart

    try:
        app = build(config)
        settle()
        asyncio.run(_serve(app, stop_asked))
    except CannotStart as error:
        print(token_filter.redact(str(error)), file=sys.stderr)
        return 2
    except Exception:
        # a fault of ours, not the operator's: the traceback goes to the log, token redacted
        logging.getLogger("baoxiu").critical("stopped on an unexpected error", exc_info=True)
        return 1
    return 0


async def _serve(app: "App", stop_asked: list[int]) -> None:
    from bot.app import serve

    serving = asyncio.ensure_future(serve(app))
    await asyncio.sleep(0)  # serve's first step puts the event loop's signal handlers in place
    if stop_asked:
        await app.stop()
    await serving


def _sandbox(args) -> int:
    from bot import sandbox_run as run

    sandbox = run.prepare(args.port)
    config = load_config(sandbox.config_path)
    _import_units(config, argparse.Namespace(file=str(sandbox.roster_path)))  # the demo roster, as import-units
    return run.run(sandbox, config, open_browser=not args.no_browser)


if __name__ == "__main__":
    sys.exit(main())
