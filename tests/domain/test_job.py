import pytest

from domain.job import (
    ENGINEER_ACTIONS,
    ENGINEER_HOLDS,
    TRANSITIONS,
    Action,
    TransitionRefused,
    engineer_actions,
    next_state,
)
from domain.tickets import TicketStatus as S

# every move the rules allow: (from, action, to)
ALLOWED = [
    (S.ASSIGNED, Action.TAKE, S.TAKEN),
    (S.ASSIGNED, Action.DECLINE, S.ASSIGNED),
    (S.TAKEN, Action.PROPOSE_VISIT, S.VISIT_PROPOSED),
    (S.VISIT_AGREED, Action.PROPOSE_VISIT, S.VISIT_PROPOSED),
    (S.WAITING_OWNER, Action.PROPOSE_VISIT, S.VISIT_PROPOSED),
    (S.VISIT_PROPOSED, Action.AGREE_VISIT, S.VISIT_AGREED),
    (S.VISIT_PROPOSED, Action.ASK_OTHER_TIME, S.TAKEN),
    (S.VISIT_AGREED, Action.ON_MY_WAY, S.ON_THE_WAY),
    (S.ON_THE_WAY, Action.ARRIVED, S.ON_SITE),
    (S.WAITING_PARTS, Action.ARRIVED, S.ON_SITE),
    (S.ON_SITE, Action.WAIT_PARTS, S.WAITING_PARTS),
    (S.ON_SITE, Action.WAIT_OWNER, S.WAITING_OWNER),
    (S.WAITING_OWNER, Action.RESUME, S.TAKEN),
    (S.ON_SITE, Action.HAND_OVER, S.ASSIGNED),
    (S.ON_SITE, Action.FINISH, S.DONE),
    (S.DONE, Action.CONFIRM_FIXED, S.CLOSED),
    (S.DONE, Action.REPORT_NOT_FIXED, S.TAKEN),
    (S.DONE, Action.CLOSE_BY_SILENCE, S.CLOSED_BY_SILENCE),
    (S.TAKEN, Action.REASSIGN, S.ASSIGNED),
    (S.UNASSIGNED, Action.CANCEL, S.CANCELLED),
    (S.DONE, Action.CLOSE, S.CLOSED),
]


@pytest.mark.parametrize("start, action, end", ALLOWED)
def test_allowed_moves(start, action, end):
    assert next_state(start, action) is end


@pytest.mark.parametrize("action", list(Action))
def test_every_action_is_refused_from_every_state_it_does_not_start_from(action):
    allowed_from, _ = TRANSITIONS[action]
    for state in set(S) - allowed_from:
        with pytest.raises(TransitionRefused):
            next_state(state, action)


@pytest.mark.parametrize(
    "start, action",
    [
        (S.TAKEN, Action.FINISH),  # no "done" before being on site
        (S.ASSIGNED, Action.ARRIVED),  # nobody has taken it
        (S.CLOSED, Action.REPORT_NOT_FIXED),
        (S.DONE, Action.REASSIGN),
        (S.CANCELLED, Action.CLOSE),
        (S.WAITING_OWNER, Action.FINISH),
    ],
)
def test_states_the_rules_need_cannot_be_skipped(start, action):
    with pytest.raises(TransitionRefused):
        next_state(start, action)


def test_the_engineer_is_offered_only_what_is_possible():
    assert engineer_actions(S.TAKEN) == [
        Action.PROPOSE_VISIT,
        Action.ON_MY_WAY,
        Action.ARRIVED,
        Action.WAIT_OWNER,
        Action.HAND_OVER,
    ]
    assert engineer_actions(S.ON_SITE) == [Action.FINISH, Action.WAIT_PARTS, Action.WAIT_OWNER, Action.HAND_OVER]
    assert Action.RESUME in engineer_actions(S.WAITING_OWNER)
    assert engineer_actions(S.DONE) == [] and engineer_actions(S.CLOSED) == []
    for state in ENGINEER_HOLDS:
        assert set(engineer_actions(state)) <= set(ENGINEER_ACTIONS)
