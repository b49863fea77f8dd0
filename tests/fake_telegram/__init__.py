"""The Telegram of the end-to-end tests: the Bot API server is the product's own sandbox
(sandbox/bot_api.py), and the simulated owners, engineers and managers who use it are here
(people.py)."""
