"""Who may do what from an alert: managers manage, the rest of the ladder reads."""

from domain.roles import Duty, Role, allowed, may, roles_of

MEMBERS = {Role.MANAGER: [1], Role.SUPERVISOR: [1, 2], Role.GENERAL_MANAGER: [3]}


def test_roles_come_from_the_staff_lists():
    assert roles_of(1, MEMBERS) == {Role.MANAGER, Role.SUPERVISOR}
    assert roles_of(2, MEMBERS) == {Role.SUPERVISOR}
    assert roles_of(4, MEMBERS) == frozenset()


def test_a_manager_may_everything_and_the_ladder_only_read():
    assert all(may({Role.MANAGER}, duty) for duty in Duty)
    assert may({Role.SUPERVISOR}, Duty.OPEN)
    assert not may({Role.SUPERVISOR}, Duty.REASSIGN)
    assert not may({Role.GENERAL_MANAGER}, Duty.COMPLAINT)
    assert not may(frozenset(), Duty.OPEN)


def test_allowed_keeps_the_order_of_the_buttons():
    duties = ("open", "reassign", "extend")
    assert allowed({Role.SUPERVISOR, Role.MANAGER}, duties) == ["open", "reassign", "extend"]
    assert allowed({Role.PROJECT_MANAGER}, duties) == ["open"]
