"""Start-up, configuration, dispatcher, middlewares and sending: the Telegram side of baoxiu."""
