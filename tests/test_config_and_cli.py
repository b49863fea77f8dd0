"""The operator's side: check-config, import-units and the example files (README.md, Configuration)."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from settings.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def example(tmp_path) -> Path:
    path = tmp_path / "config.toml"
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    path.write_text(
        text.replace("sqlite+aiosqlite:///baoxiu.db", f"sqlite+aiosqlite:///{tmp_path}/b.db"), encoding="utf-8"
    )
    return path


def broken(example: Path, old: str, new: str) -> Path:
    text = example.read_text(encoding="utf-8")
    assert old in text
    example.write_text(text.replace(old, new), encoding="utf-8")
    return example


def test_the_shipped_example_config_is_valid(example, capsys):
    assert main(["check-config", "--config", str(example)]) == 0
    out = capsys.readouterr().out
    assert "configuration is valid" in out and "3 contractors" in out
    assert "warning: staff.alert_chat_id is not set" in out


def test_the_environment_wins_over_the_file(example, monkeypatch):
    monkeypatch.setenv("BAOXIU_TELEGRAM__TOKEN", "42:FROM-ENV")
    monkeypatch.setenv("BAOXIU_PROPERTY__TIMEZONE", "Europe/Moscow")
    config = load_config(example)
    assert config.telegram.token.get_secret_value() == "42:FROM-ENV"
    assert config.property.timezone == "Europe/Moscow"
    assert config.property.name == "Sunny Gardens"


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            'trades = ["plumbing", "waterproofing"]',
            'trades = ["plumbin"]',
            "contractors[0].trades: unknown trade 'plumbin'",
        ),
        ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Base"', 'property.timezone: unknown time zone "Mars/Base"'),
        ('scheduler_tick = "30s"', 'scheduler_tick = "soon"', 'policy.scheduler_tick: "soon" is not a duration'),
        ('blocks = ["A", "B"]', 'blocks = ["A", "Z"]', 'contractors[0].blocks: unknown block "Z"'),
        (
            'fallback = "inhouse"\n\n[[contractors]]\ncode = "volt"',
            'fallback = "nobody"\n\n[[contractors]]\ncode = "volt"',
            'contractors[0].fallback: unknown contractor "nobody"',
        ),
        ('code = "volt"', 'code = "aqua"', 'contractors: code "aqua" is used twice'),
        (
            'trades = ["electrical", "telecom"]\nblocks = ["*"]',
            'trades = ["electrical", "plumbing"]\nblocks = ["A"]',
            'contractors: "aqua" and "volt" both cover trade plumbing in block A',
        ),
        ('# on_site_within.leak = "30m"', 'on_site_within.leak = "fast"', "policy.on_site_within: leak:"),
        (
            '# resolve_within.leak = "2d"',
            'resolve_within.flood = "2d"',
            'policy.resolve_within: unknown category "flood"',
        ),
        ('default_language = "zh"', 'default_language = "fr"', "property.default_language: must be one of"),
        ('token = "123456:replace-with-your-bot-token"\n', "", "telegram.token: Field required"),
        ('mode = "polling"', 'mode = "pigeon"', "telegram.mode:"),
        ('office_hours = "08:00-20:00"', 'office_hours = "20:00-08:00"', "policy.office_hours:"),
        ('emergency_phone = "0755-8888 0000"\n', "", "property.emergency_phone: Field required"),
        ('emergency_phone = "0755-8888 0000"', 'emergency_phone = " "', "property.emergency_phone: must not be empty"),
        (
            "# customer_service = []",
            "customer_service = [-1001000000099]",
            "staff.customer_service: -1001000000099: not a Telegram user id",
        ),
        (
            "# customer_service = []",
            "customer_service = [900004, 900004]",
            "staff.customer_service: a user id is listed twice",
        ),
    ],
)
def test_a_broken_config_names_the_key(example, capsys, old, new, message):
    assert main(["check-config", "--config", str(broken(example, old, new))]) == 2
    assert message in capsys.readouterr().err


def test_every_problem_is_listed_not_only_the_first(example):
    broken(example, 'timezone = "Asia/Shanghai"', 'timezone = "Mars/Base"')
    broken(example, 'trades = ["plumbing", "waterproofing"]', 'trades = ["plumbin"]')
    with pytest.raises(ConfigError) as error:
        load_config(example)
    assert len(error.value.problems) == 2


def test_a_file_that_is_not_toml_is_one_clear_sentence(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text("[telegram\ntoken = 1", encoding="utf-8")
    assert main(["check-config", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "not valid TOML" in err and "Traceback" not in err
    assert main(["check-config", "--config", str(tmp_path / "missing.toml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_import_units_loads_the_roster_and_a_second_run_changes_nothing(example, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    shutil.copy(ROOT / "roster.example.csv", roster)
    assert main(["import-units", "--config", str(example), str(roster)]) == 0
    assert "4 rows loaded (4 new or changed), 0 bad" in capsys.readouterr().out
    assert main(["import-units", "--config", str(example), str(roster)]) == 0
    assert "4 rows loaded (0 new or changed), 0 bad" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "b.db") as db:
        assert db.execute("select count(*) from unit").fetchone() == (3,)
        assert db.execute("select phone from resident order by id").fetchall()[0] == ("+8613800000001",)


def test_import_units_reports_bad_lines_loads_the_rest_and_exits_1(example, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "block,unit,owner_name,phone,handover_date,language\n"
        "A,1203,Wang Fang,138 0000 0001,2023-06-30,zh\n"
        "Q,1,Nobody,138 0000 0009,2023-06-30,zh\n"
        "A,1204,Li,not-a-phone,2023-06-30,\n",
        encoding="utf-8",
    )
    assert main(["import-units", "--config", str(example), str(roster)]) == 1
    captured = capsys.readouterr()
    assert 'line 3: block "Q" is not in the config' in captured.err
    assert 'line 4: "not-a-phone" is not a valid phone number' in captured.err
    assert "1 rows loaded" in captured.out


def test_an_updated_roster_row_updates_the_owner(example, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "block,unit,owner_name,phone,handover_date,language\nA,1,Wang,13800000001,2023-06-30,\n", encoding="utf-8"
    )
    main(["import-units", "--config", str(example), str(roster)])
    roster.write_text(
        "block,unit,owner_name,phone,handover_date,language\nA,1,Wang Fang,13800000001,2023-07-01,zh\n",
        encoding="utf-8",
    )
    main(["import-units", "--config", str(example), str(roster)])
    assert "1 rows loaded (1 new or changed)" in capsys.readouterr().out.splitlines()[-1]
    with sqlite3.connect(tmp_path / "b.db") as db:
        assert db.execute("select name, language from resident").fetchall() == [("Wang Fang", "zh")]
        assert db.execute("select handover_date from unit").fetchall() == [("2023-07-01",)]


def test_every_subcommand_has_help(capsys):
    for command in ("run", "check-config", "import-units"):
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0
        assert "--config" in capsys.readouterr().out


WEBHOOK = 'mode = "webhook"\n\n[telegram.webhook]\nurl = "https://bot.example.org/telegram"\n'


def test_webhook_mode_without_a_secret_is_refused_with_its_key(example, capsys):
    broken(example, 'mode = "polling"', WEBHOOK)
    assert main(["check-config", "--config", str(example)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == ["config problem: telegram.webhook.secret: required in webhook mode"]


def test_webhook_mode_without_its_section_names_both_keys(example, capsys):
    broken(example, 'mode = "polling"', 'mode = "webhook"')
    assert main(["check-config", "--config", str(example)]) == 2
    err = capsys.readouterr().err
    assert "telegram.webhook.url: required in webhook mode" in err
    assert "telegram.webhook.secret: required in webhook mode" in err


@pytest.mark.parametrize(
    "extra, message",
    [
        ('secret = "has spaces"', "telegram.webhook.secret: must be 1-256 characters"),
        ('secret = ""', "telegram.webhook.secret: must be 1-256 characters"),
        (f'secret = "{"x" * 257}"', "telegram.webhook.secret: must be 1-256 characters"),
        ('secret = "ok"\nport = 0', "telegram.webhook.port:"),
        ('secret = "ok"\npath = "telegram"', 'telegram.webhook.path: must start with "/"'),
    ],
)
def test_a_bad_webhook_key_is_named(example, capsys, extra, message):
    broken(example, 'mode = "polling"', WEBHOOK + extra)
    assert main(["check-config", "--config", str(example)]) == 2
    assert message in capsys.readouterr().err


def test_a_webhook_url_must_be_https(example, capsys):
    broken(example, 'mode = "polling"', WEBHOOK.replace("https://", "http://") + 'secret = "ok"')
    assert main(["check-config", "--config", str(example)]) == 2
    assert "telegram.webhook.url: Telegram posts only to an https:// URL" in capsys.readouterr().err


def test_the_webhook_listens_on_this_machine_only_unless_told(example):
    broken(example, 'mode = "polling"', WEBHOOK + 'secret = "Ab_9-z"')
    hook = load_config(example).telegram.webhook
    assert hook is not None and hook.listen == "127.0.0.1" and hook.port == 8080 and hook.path == "/telegram"
    assert hook.secret is not None and hook.secret.get_secret_value() == "Ab_9-z"


def test_the_webhook_secret_may_come_from_the_environment(example, monkeypatch, capsys):
    broken(example, 'mode = "polling"', WEBHOOK)
    monkeypatch.setenv("BAOXIU_TELEGRAM__WEBHOOK__SECRET", "from-env")
    assert main(["check-config", "--config", str(example)]) == 0
    hook = load_config(example).telegram.webhook
    assert hook is not None and hook.secret is not None and hook.secret.get_secret_value() == "from-env"
    assert hook.url == "https://bot.example.org/telegram"


def test_the_examples_webhook_block_uncommented_is_valid(example, capsys):
    text = example.read_text(encoding="utf-8").replace('mode = "polling"', 'mode = "webhook"')
    start = text.index("# [telegram.webhook]")
    block = text[start : text.index("\n\n", start)]
    example.write_text(text.replace(block, block.replace("# ", "", 1).replace("\n# ", "\n")), encoding="utf-8")
    assert main(["check-config", "--config", str(example)]) == 0, capsys.readouterr().err
    hook = load_config(example).telegram.webhook
    assert hook is not None and hook.listen == "127.0.0.1" and hook.secret is not None


@pytest.mark.parametrize("token", ["replace-me", "abc:def", "123456:", "123456:has space"])
def test_a_token_that_cannot_be_one_is_named(example, capsys, token):
    broken(example, 'token = "123456:replace-with-your-bot-token"', f'token = "{token}"')
    assert main(["check-config", "--config", str(example)]) == 2
    err = capsys.readouterr().err
    assert "telegram.token: is not a bot token: digits, a colon, then the secret part" in err
    assert token not in err  # a secret is never echoed


def test_a_webhook_open_to_the_network_is_a_warning(example, capsys):
    broken(example, 'mode = "polling"', WEBHOOK + 'secret = "ok"\nlisten = "0.0.0.0"')
    assert main(["check-config", "--config", str(example)]) == 0
    out = capsys.readouterr().out
    assert "warning: telegram.webhook.listen is 0.0.0.0: the webhook is open beyond this machine" in out
    broken(example, 'listen = "0.0.0.0"', 'listen = "127.0.0.1"')
    assert main(["check-config", "--config", str(example)]) == 0
    assert "telegram.webhook.listen" not in capsys.readouterr().out
