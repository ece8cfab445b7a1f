"""Which bot token acts in a workspace: the installation store, Grid workspaces too."""

from __future__ import annotations

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import load_settings
from bot.slack.clients import TokenSource, installation_store


async def test_a_workspace_of_an_enterprise_grid_finds_its_own_token(
    database_url: str, engine: AsyncEngine
) -> None:
    settings = load_settings(
        database_url=database_url,
        secret_key="token-test-secret-0123456789abcdef",
        slack_client_id="111.222",
    )
    store = installation_store(settings, engine)
    for enterprise, team, token in (
        (None, "T0PLAIN", "xoxb-plain"),
        ("E0GRID", "T0GRID", "xoxb-grid"),
        ("E0GRID", "T0OTHER", "xoxb-other"),
    ):
        await store.async_save(
            Installation(
                app_id="A0HEALTH",
                enterprise_id=enterprise,
                team_id=team,
                bot_token=token,
                bot_id="B0" + team[2:],
                bot_user_id="U0BOT",
                user_id="U0ADMIN",
            )
        )
    tokens = TokenSource(settings, store)

    assert await tokens.for_team("T0PLAIN") == "xoxb-plain"
    assert await tokens.for_team("T0GRID") == "xoxb-grid"
    assert await tokens.for_team("T0OTHER") == "xoxb-other"
    assert await tokens.for_team("T0NEVER") is None
    assert await tokens.for_team(None) is None
