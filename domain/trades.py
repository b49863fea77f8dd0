"""Trades: the kinds of work a contractor is responsible for (README.md, "Configuration")."""

from enum import StrEnum


class Trade(StrEnum):
    PLUMBING = "plumbing"
    WATERPROOFING = "waterproofing"
    ELECTRICAL = "electrical"
    CIVIL = "civil"
    CARPENTRY = "carpentry"
    HVAC = "hvac"
    APPLIANCES = "appliances"
    ELEVATOR = "elevator"
    TELECOM = "telecom"
    GENERAL = "general"


ANY = "*"
TRADE_CODES = frozenset(t.value for t in Trade)
