"""`baoxiu sandbox`: the whole bot on one computer, without Telegram. A Bot API server of
our own (bot_api.py, faithful to the method signatures in bot_api.json), a demo property
(demo.py) and a web page where one person plays owners, engineers and managers (page/)."""
