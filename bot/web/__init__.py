"""The FastAPI app and the local web channel."""
