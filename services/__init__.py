"""Use cases: each combines the domain's rules with storage for one thing a user does.

They return plain values; the bot layer renders and sends them, so another messaging
platform could call the same use cases.
"""
