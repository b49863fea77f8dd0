"""Screens, one router per audience: owner, engineer, manager, and the group set-up."""
