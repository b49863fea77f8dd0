"""The repair service's rules, in the property company's words.

Pure Python: nothing here imports Telegram, SQL or the scheduler, and nothing reads the
wall clock — every rule that depends on time takes `now` or a `Clock`.
"""
