"""Slack settings refuse to start incomplete; Alembic owns slack-sdk's tables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table, inspect
from sqlmodel import SQLModel

import survey.models  # noqa: F401
from bot.app import create_app
from bot.settings import load_settings
from survey.errors import SettingsError

ROOT = Path(__file__).parents[3]

PRODUCTION = {
    "HEALTHCHECK_MODE": "production",
    "HEALTHCHECK_SECRET_KEY": "a-long-production-secret-0123456789",
    "HEALTHCHECK_SLACK_ENABLED": "true",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("HEALTHCHECK_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEALTHCHECK_MODE", "development")  # as `make run`
    monkeypatch.chdir(tmp_path)


def refusal(monkeypatch: pytest.MonkeyPatch, **environment: str) -> str:
    for name, value in {**PRODUCTION, **environment}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    return str(refused.value)


def test_enabled_slack_with_nothing_set_names_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = refusal(monkeypatch)
    assert "HEALTHCHECK_SLACK_SIGNING_SECRET" in message
    assert (
        "HEALTHCHECK_SLACK_BOT_TOKEN (one workspace) or HEALTHCHECK_SLACK_CLIENT_ID "
        "and HEALTHCHECK_SLACK_CLIENT_SECRET" in message
    )
    assert "\n" not in message


def test_oauth_needs_both_halves_of_the_client_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = refusal(
        monkeypatch,
        HEALTHCHECK_SLACK_SIGNING_SECRET="s" * 32,
        HEALTHCHECK_SLACK_CLIENT_ID="1.2",
    )
    assert message.endswith("needs HEALTHCHECK_SLACK_CLIENT_SECRET")


def test_socket_mode_needs_the_app_token_and_bot_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = refusal(monkeypatch, HEALTHCHECK_SLACK_SOCKET_MODE="true")
    assert "HEALTHCHECK_SLACK_APP_TOKEN (Socket Mode)" in message
    assert "HEALTHCHECK_SLACK_BOT_TOKEN (Socket Mode)" in message
    assert "SIGNING_SECRET" not in message


def test_complete_settings_are_accepted_and_secrets_stay_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HEALTHCHECK_SLACK_SIGNING_SECRET", "signing-secret-value")
    monkeypatch.setenv("HEALTHCHECK_SLACK_BOT_TOKEN", "xoxb-secret-token")
    settings = load_settings()
    assert settings.slack_enabled
    assert not settings.slack_oauth
    assert "xoxb-secret-token" not in repr(settings)
    assert "signing-secret-value" not in str(settings.model_dump())


def test_slack_off_adds_no_routes() -> None:
    app = create_app(load_settings())
    assert not [
        route for route in app.routes if getattr(route, "path", "").startswith("/slack")
    ]


def test_socket_mode_serves_no_http_routes(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(
        slack_enabled=True,
        slack_socket_mode=True,
        slack_app_token="xapp-1",
        slack_bot_token="xoxb-1",
    )
    app = create_app(settings)
    assert not [
        route for route in app.routes if getattr(route, "path", "").startswith("/slack")
    ]


def _columns(table: Table) -> list[tuple[str, str, bool, bool]]:
    return [
        (column.name, repr(column.type), column.nullable is True, column.primary_key)
        for column in table.columns
    ]


def _indexes(table: Table) -> set[tuple[str | None, tuple[str, ...]]]:
    return {
        (index.name, tuple(column.name for column in index.columns))
        for index in table.indexes
    }


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("slack_installations", SQLAlchemyInstallationStore.build_installations_table),
        ("slack_bots", SQLAlchemyInstallationStore.build_bots_table),
        ("slack_oauth_states", SQLAlchemyOAuthStateStore.build_oauth_states_table),
    ],
)
def test_our_copies_of_slack_sdks_tables_match_slack_sdk(
    ours: str, theirs: object
) -> None:
    reference: Table = theirs(MetaData(), ours)  # type: ignore[operator]
    copy = SQLModel.metadata.tables[ours]
    assert _columns(copy) == _columns(reference)
    assert _indexes(copy) == _indexes(reference)


async def test_the_migrations_create_slack_sdks_tables(sqlite_url: str) -> None:
    from sqlalchemy import create_engine

    from survey.db import sync_url

    engine = create_engine(sync_url(sqlite_url))
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            person = {
                column["name"] for column in inspect(connection).get_columns("person")
            }
    finally:
        engine.dispose()
    assert {
        "slack_installations",
        "slack_bots",
        "slack_oauth_states",
        "slack_workspace",
        "slack_event",
    } <= tables
    assert "slack_dm_channel" in person


def test_the_manifest_asks_for_exactly_the_scopes_and_events_the_app_uses() -> None:
    import yaml

    from bot.settings import SLACK_SCOPES
    from bot.slack.listeners.commands import COMMAND

    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yaml").read_text())
    assert manifest["oauth_config"]["scopes"]["bot"] == SLACK_SCOPES.split(",")
    assert "user" not in manifest["oauth_config"]["scopes"]
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == [COMMAND]
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert set(events) == {
        "app_home_opened",
        "message.im",
        "app_uninstalled",
        "tokens_revoked",
    }
    urls = {
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
        manifest["features"]["slash_commands"][0]["url"],
    }
    assert {url.rsplit("/", 2)[-2:] == ["slack", "events"] for url in urls} == {True}
    assert manifest["oauth_config"]["redirect_urls"][0].endswith(
        "/slack/oauth_redirect"
    )
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
