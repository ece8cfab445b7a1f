"""Slack behind an outbound proxy: the Web API is reached through ``HTTPS_PROXY``
(here ``HTTP_PROXY``, the fake being plain HTTP), and ``NO_PROXY`` is honoured,
which slack-sdk alone does not do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import slack_settings
from fakes.http_proxy import FakeProxy, running_proxy
from fakes.slack_api import BOT_TOKEN, FakeSlack

from bot.slack.clients import web_client


@pytest.fixture
def proxy() -> Iterator[FakeProxy]:
    with running_proxy() as running:
        yield running


def clear(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


async def test_web_api_calls_go_through_the_proxy(
    sqlite_url: str,
    fake_slack: FakeSlack,
    proxy: FakeProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clear(monkeypatch)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    client = web_client(slack_settings(sqlite_url, fake_slack), token=BOT_TOKEN)
    answer = await client.chat_postMessage(channel="C0WORKFORCE", text="hello")
    assert answer["ok"]
    assert proxy.targets() == [f"POST {fake_slack.api_url}chat.postMessage"]
    assert fake_slack.count("chat.postMessage") == 1


async def test_no_proxy_hosts_are_reached_directly(
    sqlite_url: str,
    fake_slack: FakeSlack,
    proxy: FakeProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clear(monkeypatch)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    client = web_client(slack_settings(sqlite_url, fake_slack), token=BOT_TOKEN)
    assert (await client.chat_postMessage(channel="C0WORKFORCE", text="hi"))["ok"]
    assert proxy.targets() == []
    assert fake_slack.count("chat.postMessage") == 1
