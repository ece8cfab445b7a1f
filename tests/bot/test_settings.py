"""Settings: defaults, the .env file, secrets kept secret, readable refusals."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.settings import DEV_SECRET, Mode, is_loopback, load_settings
from survey.errors import SettingsError

ROOT = Path(__file__).parents[2]
REAL_SECRET = "correct-horse-battery-staple-0123456789"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No settings from the developer's shell or the repository's .env."""
    for name in list(os.environ):
        if name.startswith("HEALTHCHECK_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refusal(**environment: str) -> str:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(name, value)
        with pytest.raises(SettingsError) as refused:
            load_settings()
    message = str(refused.value)
    assert "\n" not in message, "a settings problem is one line"
    return message


def test_production_is_the_default_and_needs_a_secret() -> None:
    message = refusal()
    assert message.startswith(
        "Settings problem: HEALTHCHECK_SECRET_KEY must be set in production mode"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HEALTHCHECK_SECRET_KEY", REAL_SECRET)
        settings = load_settings()
    assert settings.mode == Mode.PRODUCTION
    assert settings.seed_demo is False


def test_development_runs_the_demo_on_sqlite() -> None:
    settings = load_settings(mode="development")
    assert settings.mode == Mode.DEVELOPMENT
    assert settings.database_url == "sqlite:///./data/healthcheck.db"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.organisation == "demo"
    assert settings.min_group_size == 5
    assert settings.seed_demo is True
    assert settings.secret == DEV_SECRET.encode()


def test_the_env_file_is_read_and_the_environment_wins(
    monkeypatch: pytest.MonkeyPatch, clean_environment: Path
) -> None:
    (clean_environment / ".env").write_text(
        "DATABASE_URL=postgresql://healthcheck@db.internal/healthcheck\n"
        "HEALTHCHECK_PORT=9000\n"
        "HEALTHCHECK_ORGANISATION=westmere\n"
        "HEALTHCHECK_SEED_DEMO=false\n"
        f"HEALTHCHECK_SECRET_KEY={REAL_SECRET}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HEALTHCHECK_PORT", "9100")
    settings = load_settings()
    assert settings.database_url == "postgresql://healthcheck@db.internal/healthcheck"
    assert settings.port == 9100
    assert settings.organisation == "westmere"
    assert settings.seed_demo is False
    assert settings.secret == REAL_SECRET.encode()


def test_the_committed_env_example_is_production_until_the_secret_is_filled_in(
    clean_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ROOT / ".env.example", clean_environment / ".env")
    assert refusal().startswith(
        "Settings problem: HEALTHCHECK_SECRET_KEY must be set in production mode"
    )
    monkeypatch.setenv("HEALTHCHECK_SECRET_KEY", REAL_SECRET)
    settings = load_settings()
    assert settings.mode == Mode.PRODUCTION
    assert settings.seed_demo is False
    assert (settings.retention_months, settings.retention_auto_purge) == (24, True)
    # `make run` passes development mode, which the example then runs as is.
    monkeypatch.delenv("HEALTHCHECK_SECRET_KEY")
    monkeypatch.setenv("HEALTHCHECK_MODE", "development")
    settings = load_settings()
    assert settings.secret == DEV_SECRET.encode()
    assert settings.seed_demo is True, "make run seeds the demo with this file too"


def test_the_secret_never_appears_when_settings_are_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HEALTHCHECK_SECRET_KEY", REAL_SECRET)
    settings = load_settings()
    assert isinstance(settings.secret_key, SecretStr)
    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert REAL_SECRET not in shown
    assert settings.secret == REAL_SECRET.encode()


def test_a_short_secret_is_refused_without_showing_it() -> None:
    message = refusal(HEALTHCHECK_SECRET_KEY="hunter2")
    assert message == (
        "Settings problem: HEALTHCHECK_SECRET_KEY: must be at least 16 characters"
    )


@pytest.mark.parametrize("secret", [None, ""], ids=["unset", "blank"])
def test_production_without_a_secret_refuses_naming_the_setting(
    secret: str | None,
) -> None:
    environment = {"HEALTHCHECK_MODE": "production"}
    if secret is not None:
        environment["HEALTHCHECK_SECRET_KEY"] = secret
    message = refusal(**environment)
    assert message.startswith(
        "Settings problem: HEALTHCHECK_SECRET_KEY must be set in production mode"
    )


def test_production_refuses_to_start_with_the_demo_seeder_on() -> None:
    message = refusal(
        HEALTHCHECK_MODE="production",
        HEALTHCHECK_SECRET_KEY=REAL_SECRET,
        HEALTHCHECK_SEED_DEMO="true",
    )
    assert message == (
        "Settings problem: HEALTHCHECK_SEED_DEMO must be off in production mode "
        "(the demo organisation and its persona picker are for development only)"
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_development_may_serve_on_loopback(host: str) -> None:
    load_settings(mode="development").refuse_non_loopback(host)
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "intranet.local"])
def test_development_refuses_a_network_address(host: str) -> None:
    with pytest.raises(SettingsError, match="Development mode serves only"):
        load_settings(mode="development").refuse_non_loopback(host)
    load_settings(secret_key=REAL_SECRET).refuse_non_loopback(host)  # production


@pytest.mark.parametrize("size", ["2", "0", "-5"])
def test_a_minimum_group_size_below_three_is_refused(size: str) -> None:
    message = refusal(HEALTHCHECK_MIN_GROUP_SIZE=size)
    assert message == (
        "Settings problem: HEALTHCHECK_MIN_GROUP_SIZE: "
        "Input should be greater than or equal to 3"
    )


def test_a_minimum_group_size_of_three_is_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HEALTHCHECK_MIN_GROUP_SIZE", "3")
    assert load_settings(mode="development").min_group_size == 3


def test_each_wrong_setting_is_named() -> None:
    message = refusal(HEALTHCHECK_PORT="abc", HEALTHCHECK_MODE="live")
    assert message.startswith("Settings problem: ")
    assert "HEALTHCHECK_PORT: Input should be a valid integer" in message
    assert "HEALTHCHECK_MODE: Input should be 'development' or 'production'" in message


def test_overrides_from_the_composition_root_are_checked_too() -> None:
    assert load_settings(mode="development", port=8123).port == 8123
    with pytest.raises(SettingsError, match="HEALTHCHECK_PORT"):
        load_settings(mode="development", port=70000)


def test_retention_defaults_to_24_months_purged_by_the_worker() -> None:
    settings = load_settings(mode="development")
    assert settings.retention_months == 24
    assert settings.retention_auto_purge is True


@pytest.mark.parametrize(
    ("typed", "months"),
    [("1", 1), (" 36 ", 36), ("1200", 1200), ("keep", None), ("KEEP", None)],
)
def test_retention_is_whole_months_or_keep(
    monkeypatch: pytest.MonkeyPatch, typed: str, months: int | None
) -> None:
    monkeypatch.setenv("HEALTHCHECK_RETENTION_MONTHS", typed)
    monkeypatch.setenv("HEALTHCHECK_RETENTION_AUTO_PURGE", "false")
    settings = load_settings(mode="development")
    assert settings.retention_months == months
    assert settings.retention_auto_purge is False


@pytest.mark.parametrize(
    "typed", ["0", "-6", "1.5", "two years", "forever", "keep it", "²"]
)
def test_retention_that_is_not_whole_months_is_refused(typed: str) -> None:
    message = refusal(HEALTHCHECK_RETENTION_MONTHS=typed)
    assert message == (
        "Settings problem: HEALTHCHECK_RETENTION_MONTHS: must be a whole number of "
        "months, 1 or more, or 'keep' to keep comments and drafts for good "
        f"(got {typed!r})"
    )


def test_retention_over_a_hundred_years_is_refused() -> None:
    assert refusal(HEALTHCHECK_RETENTION_MONTHS="1201") == (
        "Settings problem: HEALTHCHECK_RETENTION_MONTHS: must be at most 1200 "
        "months, or 'keep' (got '1201')"
    )


def test_sign_in_with_microsoft_needs_its_tenant() -> None:
    message = refusal(
        HEALTHCHECK_MODE="development",
        HEALTHCHECK_MICROSOFT_CLIENT_ID="app",
        HEALTHCHECK_MICROSOFT_CLIENT_SECRET="secret",
    )
    assert message == (
        "Settings problem: HEALTHCHECK_MICROSOFT_CLIENT_ID is set but needs "
        "HEALTHCHECK_MICROSOFT_TENANT_ID"
    )


def test_sign_in_with_slack_needs_its_workspace() -> None:
    message = refusal(
        HEALTHCHECK_MODE="development", HEALTHCHECK_SLACK_SIGN_IN_CLIENT_ID="app"
    )
    assert message == (
        "Settings problem: HEALTHCHECK_SLACK_SIGN_IN_CLIENT_ID is set but needs "
        "HEALTHCHECK_SLACK_SIGN_IN_CLIENT_SECRET and HEALTHCHECK_SLACK_SIGN_IN_TEAM_ID"
    )
