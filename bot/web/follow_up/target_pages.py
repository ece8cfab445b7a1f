"""stub."""

from fastapi import FastAPI


def register(app: FastAPI) -> None:
    """Stub."""
