"""The managers' chats get a menu with every command they may use, and somebody who is not
a manager is refused politely whichever of those commands they send."""

import json

from tests.conftest import ALERT_CHAT, AQUA_GROUP


def menu(telegram, chat_id: int, language: str) -> dict[str, str]:
    for params in telegram.sent("setMyCommands", language_code=language):
        scope = params["scope"]
        scope = json.loads(scope) if isinstance(scope, str) else scope
        if scope.get("chat_id") == chat_id:
            commands = params["commands"]
            commands = json.loads(commands) if isinstance(commands, str) else commands
            return {command["command"]: command["description"] for command in commands}
    raise AssertionError(f"no {language} menu for chat {chat_id}")


async def test_the_managers_menu_offers_reports_surveys_and_evidence_packs(running, telegram):
    english = menu(telegram, ALERT_CHAT, "en")
    assert english["report"] == "Weekly, monthly and contractor reports"  # not the owners' "Report a repair"
    assert english["survey"] == "Ask the owners a satisfaction survey"
    assert english["evidence"] == "A request's evidence pack (ZIP)"
    assert menu(telegram, ALERT_CHAT, "zh")["survey"] == "向业主发起满意度调查"
    assert menu(telegram, ALERT_CHAT, "ru")["report"] == "Отчёты за неделю, месяц и по подрядчикам"


async def test_an_engineer_who_sends_survey_is_told_only_managers_may(running, people):
    await people.ivan.send("/survey", chat_id=AQUA_GROUP)
    await people.ivan.expect("only the property's managers", chat_id=AQUA_GROUP)


async def test_help_answers_each_role_with_its_own_help(running, people):
    await people.boss.send("/help", chat_id=ALERT_CHAT)
    managers = await people.boss.expect("/overdue", chat_id=ALERT_CHAT)
    assert "/evidence" in managers["text"] and "/bind" in managers["text"]
    await people.boss.send("/help")
    await people.boss.expect("/overdue")
    await people.ivan.send("/help")
    await people.ivan.expect("You are an engineer of Aqua Plumbing")
    await people.ivan.send("/help", chat_id=AQUA_GROUP)
    await people.ivan.expect("Take the job", chat_id=AQUA_GROUP)
    await people.john.send("/help")
    owners = await people.john.expect("report a repair")
    assert "🚨 Emergency" in owners["text"] and "/complain" in owners["text"]
