"""The life of a job as one state machine: which action may move a ticket from which
state to which (docs/rules.md). Storage applies a move only if the ticket is still
in one of the allowed states, so two quick taps never make two moves."""

from datetime import datetime, timedelta
from enum import StrEnum

from domain.tickets import TicketStatus as S


class Action(StrEnum):
    TAKE = "take"
    DECLINE = "decline"
    PROPOSE_VISIT = "propose_visit"
    AGREE_VISIT = "agree_visit"  # the owner picks a proposed time
    ASK_OTHER_TIME = "ask_other_time"  # none of the proposed times suits the owner
    ON_MY_WAY = "on_my_way"
    ARRIVED = "arrived"
    WAIT_PARTS = "wait_parts"  # waiting for parts, or another trade is needed
    WAIT_OWNER = "wait_owner"  # nobody home, or the owner asked for a later day: the clock stops
    RESUME = "resume"
    HAND_OVER = "hand_over"  # back to the contractor's group for another engineer
    FINISH = "finish"  # done: a note and at least one after-photo
    CONFIRM_FIXED = "confirm_fixed"
    REPORT_NOT_FIXED = "report_not_fixed"
    CLOSE_BY_SILENCE = "close_by_silence"
    REASSIGN = "reassign"
    CANCEL = "cancel"
    CLOSE = "close"


ENGINEER_HOLDS = frozenset(
    {S.TAKEN, S.VISIT_PROPOSED, S.VISIT_AGREED, S.ON_THE_WAY, S.ON_SITE, S.WAITING_PARTS, S.WAITING_OWNER}
)
OPEN = frozenset({S.UNASSIGNED, S.ASSIGNED, S.DONE}) | ENGINEER_HOLDS
CLOSED = frozenset({S.CLOSED, S.CLOSED_BY_SILENCE, S.CANCELLED, S.REFERRED})
# the clock of a job does not run while it waits on the owner
PAUSED = frozenset({S.WAITING_OWNER})
# a job that can be overdue: its clock runs (not paused) and its work is not done (a done
# job waits only for the owner's word, docs/rules.md)
DEADLINES_RUN = OPEN - PAUSED - {S.DONE}

TRANSITIONS: dict[Action, tuple[frozenset[S], S]] = {
    Action.TAKE: (frozenset({S.ASSIGNED}), S.TAKEN),
    Action.DECLINE: (frozenset({S.ASSIGNED}), S.ASSIGNED),
    Action.PROPOSE_VISIT: (
        frozenset({S.TAKEN, S.VISIT_PROPOSED, S.VISIT_AGREED, S.WAITING_OWNER, S.WAITING_PARTS}),
        S.VISIT_PROPOSED,
    ),
    Action.AGREE_VISIT: (frozenset({S.VISIT_PROPOSED}), S.VISIT_AGREED),
    Action.ASK_OTHER_TIME: (frozenset({S.VISIT_PROPOSED}), S.TAKEN),
    Action.ON_MY_WAY: (frozenset({S.TAKEN, S.VISIT_AGREED, S.WAITING_PARTS}), S.ON_THE_WAY),
    Action.ARRIVED: (frozenset({S.TAKEN, S.VISIT_AGREED, S.ON_THE_WAY, S.WAITING_PARTS}), S.ON_SITE),
    Action.WAIT_PARTS: (frozenset({S.ON_SITE}), S.WAITING_PARTS),
    Action.WAIT_OWNER: (
        frozenset({S.TAKEN, S.VISIT_PROPOSED, S.VISIT_AGREED, S.ON_THE_WAY, S.ON_SITE}),
        S.WAITING_OWNER,
    ),
    Action.RESUME: (frozenset({S.WAITING_OWNER}), S.TAKEN),
    Action.HAND_OVER: (ENGINEER_HOLDS, S.ASSIGNED),
    Action.FINISH: (frozenset({S.ON_SITE}), S.DONE),
    Action.CONFIRM_FIXED: (frozenset({S.DONE}), S.CLOSED),
    Action.REPORT_NOT_FIXED: (frozenset({S.DONE}), S.TAKEN),
    Action.CLOSE_BY_SILENCE: (frozenset({S.DONE}), S.CLOSED_BY_SILENCE),
    Action.REASSIGN: (OPEN - {S.DONE}, S.ASSIGNED),
    Action.CANCEL: (OPEN, S.CANCELLED),
    Action.CLOSE: (OPEN, S.CLOSED),
}
# what the engineer holding the job can do from their private chat, in the order shown
ENGINEER_ACTIONS = (
    Action.PROPOSE_VISIT,
    Action.ON_MY_WAY,
    Action.ARRIVED,
    Action.FINISH,
    Action.WAIT_PARTS,
    Action.WAIT_OWNER,
    Action.RESUME,
    Action.HAND_OVER,
)


class TransitionRefused(Exception):
    def __init__(self, state: S, action: Action):
        super().__init__(f"{action} is not possible while the job is {state}")
        self.state = state
        self.action = action


def next_state(state: S, action: Action) -> S:
    allowed_from, to = TRANSITIONS[action]
    if state not in allowed_from:
        raise TransitionRefused(state, action)
    return to


def allowed_from(action: Action) -> frozenset[S]:
    return TRANSITIONS[action][0]


def engineer_actions(state: S) -> list[Action]:
    return [action for action in ENGINEER_ACTIONS if state in TRANSITIONS[action][0]]


def paused_for(paused_since: datetime | None, now: datetime) -> timedelta:
    """How long the clock has stood still; deadlines move on by as much when it restarts."""
    return now - paused_since if paused_since is not None else timedelta(0)
