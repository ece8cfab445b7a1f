"""All settings in one typed class, read from the environment and ``.env``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from survey.errors import SettingsError

DEV_SECRET = "dev-only-secret-change-me-in-production"


class Mode(StrEnum):
    """Development runs without tokens; production insists on real secrets."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """The settings of one deployment, built by the composition root."""

    model_config = SettingsConfigDict(
        env_prefix="HEALTHCHECK_",
        env_file=".env",
        extra="ignore",
        env_ignore_empty=True,
    )

    mode: Mode = Mode.DEVELOPMENT
    database_url: str = Field(
        default="sqlite:///./data/healthcheck.db",
        validation_alias="DATABASE_URL",
    )
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_url: str | None = Field(
        default=None, description="the web app's address in personal links"
    )
    organisation: str = Field(default="demo", description="default organisation slug")
    min_group_size: int = Field(default=5, ge=3, le=50)
    seed_demo: bool = True
    send_lease_seconds: int = Field(
        default=30,
        ge=2,
        le=3600,
        description="how long a worker holds a message before another may take it",
    )
    local_inbox_url: str = Field(
        default="http://127.0.0.1:8000",
        description="where the worker delivers local-channel messages (the web app)",
    )
    data_dir: Path = Path("./data")

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters")
        return value

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> Settings:
        if self.mode == Mode.PRODUCTION:
            if self.secret_key.get_secret_value() == DEV_SECRET:
                raise ValueError(
                    "HEALTHCHECK_SECRET_KEY must be set in production mode "
                    "(a long random string; it keys drafts and personal links)"
                )
            if self.seed_demo:
                self.seed_demo = False
        return self

    @property
    def secret(self) -> bytes:
        """The server secret as bytes, for HMAC keys."""
        return self.secret_key.get_secret_value().encode()


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into one readable SettingsError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = []
        for detail in error.errors():
            env = _env_name(".".join(str(part) for part in detail["loc"]))
            message = detail["msg"].removeprefix("Value error, ")
            problems.append(f"{env}: {message}" if env else message)
        raise SettingsError("Settings problem: " + "; ".join(problems)) from None


def _env_name(field: str) -> str:
    if not field:
        return ""
    if field == "database_url":
        return "DATABASE_URL"
    return f"HEALTHCHECK_{field.upper()}"
