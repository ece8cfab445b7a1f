"""All settings in one typed class, read from the environment and ``.env``."""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from survey.errors import SettingsError
from survey.retention.purge import MAX_MONTHS

DEV_SECRET = "dev-only-secret-change-me-in-production"

SLACK_SCOPES = (
    "commands,chat:write,im:write,im:history,channels:history,users:read,"
    "users:read.email,usergroups:read,channels:read,groups:read"
)
"""The least bot scopes that do everything (see slack/manifest.yaml for why)."""

KEEP = "keep"
"""The retention setting's word for keeping comments and drafts for good."""


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

    mode: Mode = Field(
        default=Mode.PRODUCTION,
        description="production unless development is chosen (make run does)",
    )
    database_url: str = Field(
        default="sqlite:///./data/healthcheck.db",
        validation_alias="DATABASE_URL",
    )
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="comma-separated addresses (or *) of the TLS proxies whose "
        "X-Forwarded-Proto and X-Forwarded-For are believed",
    )
    public_url: str | None = Field(
        default=None, description="the web app's address in personal links"
    )
    organisation: str = Field(default="demo", description="default organisation slug")
    min_group_size: int = Field(default=5, ge=3, le=50)
    seed_demo: bool | None = Field(
        default=None,
        description="seed the demo organisation on start; on by default in "
        "development, refused in production",
    )
    session_idle_minutes: int = Field(
        default=8 * 60,
        ge=5,
        le=7 * 24 * 60,
        description="a web sign-in ends after this many minutes without use",
    )
    session_lifetime_hours: int = Field(
        default=7 * 24,
        ge=1,
        le=90 * 24,
        description="a web sign-in ends this many hours after it began, however used",
    )
    sign_in_failure_limit: int = Field(
        default=20,
        ge=1,
        le=10_000,
        description="failed sign-ins (links, accounts) one address may make in 10 "
        "minutes before it is given a 429 (counted per web process)",
    )
    worker_in_web: bool = Field(
        default=False,
        description="run the worker inside the web process (make run); use a "
        "separate `healthcheck worker` in production",
    )
    send_lease_seconds: int = Field(
        default=30,
        ge=2,
        le=3600,
        description="how long a worker holds a message before another may take it",
    )
    job_lease_seconds: int = Field(
        default=30,
        ge=3,
        le=3600,
        description="on PostgreSQL, how long a worker's claim on a running job lasts "
        "unless renewed (it renews every third of it; a worker that dies leaves its "
        "jobs to others after this)",
    )
    local_inbox_url: str = Field(
        default="http://127.0.0.1:8000",
        description="where the worker delivers local-channel messages (the web app)",
    )
    data_dir: Path = Path("./data")
    retention_months: int | None = Field(
        default=24,
        description="months to keep free-text comments and drafts; 'keep' (None) "
        "keeps them for good",
    )
    retention_auto_purge: bool = Field(
        default=True,
        description="the worker purges once a day what retention no longer allows",
    )

    slack_enabled: bool = Field(
        default=False, description="serve Slack at /slack/* and deliver to Slack"
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None, description="Basic Information > Signing Secret"
    )
    slack_bot_token: SecretStr | None = Field(
        default=None, description="xoxb- token for a single workspace (no OAuth)"
    )
    slack_client_id: str | None = Field(
        default=None, description="for installing into many workspaces (OAuth)"
    )
    slack_client_secret: SecretStr | None = None
    slack_scopes: str = Field(
        default=SLACK_SCOPES, description="bot scopes asked for on install"
    )
    slack_socket_mode: bool = Field(
        default=False, description="connect out over Socket Mode instead of HTTP"
    )
    slack_app_token: SecretStr | None = Field(
        default=None, description="xapp- app-level token, for Socket Mode"
    )
    slack_workforce_channel: str | None = Field(
        default=None,
        description="channel id (C...) for briefings and 'you said, we did' posts",
    )
    slack_api_url: str = Field(
        default="https://slack.com/api/", description="the Slack Web API's address"
    )

    teams_enabled: bool = Field(
        default=False, description="serve Teams at /api/messages and deliver to Teams"
    )
    teams_app_id: str | None = Field(
        default=None,
        description="the bot's Microsoft app (client) id; JWT validation is on with it",
    )
    teams_app_password: SecretStr | None = Field(
        default=None, description="the app registration's client secret"
    )
    teams_tenant_id: str | None = Field(
        default=None, description="the council's Microsoft Entra tenant id"
    )

    microsoft_client_id: str | None = Field(
        default=None,
        description="Sign in with Microsoft: the Entra app registration's client id",
    )
    microsoft_client_secret: SecretStr | None = None
    microsoft_tenant_id: str | None = Field(
        default=None,
        description="the one Entra tenant whose people may sign in (required with "
        "the client id)",
    )
    microsoft_authority: str = Field(
        default="https://login.microsoftonline.com",
        description="Microsoft's sign-in address (a stand-in's in tests)",
    )
    slack_sign_in_client_id: str | None = Field(
        default=None, description="Sign in with Slack: the Slack app's client id"
    )
    slack_sign_in_client_secret: SecretStr | None = None
    slack_sign_in_team_id: str | None = Field(
        default=None,
        description="the one Slack workspace (T...) whose people may sign in",
    )
    slack_sign_in_issuer: str = Field(
        default="https://slack.com",
        description="Slack's OpenID issuer (a stand-in's in tests)",
    )

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters")
        return value

    @field_validator("retention_months", mode="before")
    @classmethod
    def _whole_months_or_keep(cls, value: Any) -> int | None:
        if value is None or (isinstance(value, str) and value.strip().lower() == KEEP):
            return None
        text = str(value).strip()
        whole = text.isascii() and text.isdigit()
        if isinstance(value, bool) or not whole or int(text) < 1:
            raise ValueError(
                f"must be a whole number of months, 1 or more, or '{KEEP}' to keep "
                f"comments and drafts for good (got {text!r})"
            )
        if int(text) > MAX_MONTHS:
            raise ValueError(
                f"must be at most {MAX_MONTHS} months, or '{KEEP}' (got {text!r})"
            )
        return int(text)

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> Settings:
        if self.mode == Mode.PRODUCTION:
            if self.secret_key.get_secret_value() == DEV_SECRET:
                raise ValueError(
                    "HEALTHCHECK_SECRET_KEY must be set in production mode "
                    "(a long random string; it keys drafts and personal links)"
                )
            if self.seed_demo:
                raise ValueError(
                    "HEALTHCHECK_SEED_DEMO must be off in production mode (the demo "
                    "organisation and its persona picker are for development only)"
                )
            self.seed_demo = False
        elif self.seed_demo is None:
            self.seed_demo = True
        return self

    @model_validator(mode="after")
    def _sign_in_needs_its_restriction(self) -> Settings:
        pairs = (
            (
                "HEALTHCHECK_MICROSOFT_CLIENT_ID",
                self.microsoft_client_id,
                (
                    (
                        "HEALTHCHECK_MICROSOFT_CLIENT_SECRET",
                        self.microsoft_client_secret,
                    ),
                    ("HEALTHCHECK_MICROSOFT_TENANT_ID", self.microsoft_tenant_id),
                ),
            ),
            (
                "HEALTHCHECK_SLACK_SIGN_IN_CLIENT_ID",
                self.slack_sign_in_client_id,
                (
                    (
                        "HEALTHCHECK_SLACK_SIGN_IN_CLIENT_SECRET",
                        self.slack_sign_in_client_secret,
                    ),
                    ("HEALTHCHECK_SLACK_SIGN_IN_TEAM_ID", self.slack_sign_in_team_id),
                ),
            ),
        )
        for name, client_id, needed in pairs:
            missing = [need for need, value in needed if not value]
            if client_id and missing:
                raise ValueError(f"{name} is set but needs " + " and ".join(missing))
        return self

    @model_validator(mode="after")
    def _slack_needs_its_credentials(self) -> Settings:
        if self.slack_enabled:
            missing = self.slack_missing()
            if missing:
                raise ValueError(
                    "Slack is enabled (HEALTHCHECK_SLACK_ENABLED) but needs "
                    + "; ".join(missing)
                )
        return self

    def slack_missing(self) -> list[str]:
        """The Slack settings still needed, by environment variable name."""
        missing = []
        if self.slack_socket_mode:
            if self.slack_app_token is None:
                missing.append("HEALTHCHECK_SLACK_APP_TOKEN (Socket Mode)")
            if self.slack_bot_token is None:
                missing.append("HEALTHCHECK_SLACK_BOT_TOKEN (Socket Mode)")
            return missing
        if self.slack_signing_secret is None:
            missing.append("HEALTHCHECK_SLACK_SIGNING_SECRET")
        if self.slack_bot_token is None:
            has_id = self.slack_client_id is not None
            has_secret = self.slack_client_secret is not None
            if not has_id and not has_secret:
                missing.append(
                    "HEALTHCHECK_SLACK_BOT_TOKEN (one workspace) or "
                    "HEALTHCHECK_SLACK_CLIENT_ID and HEALTHCHECK_SLACK_CLIENT_SECRET"
                )
            elif not has_id:
                missing.append("HEALTHCHECK_SLACK_CLIENT_ID")
            elif not has_secret:
                missing.append("HEALTHCHECK_SLACK_CLIENT_SECRET")
        return missing

    @property
    def slack_oauth(self) -> bool:
        """Whether Slack installs through OAuth (many workspaces) or one token."""
        return self.slack_bot_token is None and self.slack_client_id is not None

    @model_validator(mode="after")
    def _teams_needs_its_credentials(self) -> Settings:
        if self.teams_enabled and self.mode == Mode.PRODUCTION:
            missing = [
                name
                for name, value in (
                    ("HEALTHCHECK_TEAMS_APP_ID", self.teams_app_id),
                    ("HEALTHCHECK_TEAMS_APP_PASSWORD", self.teams_app_password),
                    ("HEALTHCHECK_TEAMS_TENANT_ID", self.teams_tenant_id),
                )
                if not value
            ]
            if missing:
                raise ValueError(
                    "Teams is enabled (HEALTHCHECK_TEAMS_ENABLED) in production but "
                    "needs " + ", ".join(missing)
                )
        return self

    def refuse_non_loopback(self, host: str) -> None:
        """Refuse to serve development mode anywhere but this computer.

        Raises:
            SettingsError: development mode and ``host`` is a network address.
        """
        if self.mode == Mode.DEVELOPMENT and not is_loopback(host):
            raise SettingsError(
                f"Development mode serves only on this computer (127.0.0.1), not "
                f"{host}: its persona picker lets anyone sign in as anyone. To serve "
                "on a network set HEALTHCHECK_MODE=production and "
                "HEALTHCHECK_SECRET_KEY"
            )

    @property
    def secret(self) -> bytes:
        """The server secret as bytes, for HMAC keys."""
        return self.secret_key.get_secret_value().encode()


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this computer only (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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
