"""``/readyz`` tells a load balancer whether a web process can reach its database."""

from __future__ import annotations

import psycopg
import pytest
from postgres_admin import POSTGRES_ADMIN_URL
from webchat import SECRET_KEY, TestClient

from bot.app import create_app
from bot.settings import load_settings


def test_a_process_with_its_database_is_ready(database_url: str) -> None:
    settings = load_settings(
        database_url=database_url, secret_key=SECRET_KEY, seed_demo=False
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_process_that_lost_its_database_is_alive_but_not_ready(
    database_url: str,
) -> None:
    settings = load_settings(
        database_url=database_url, secret_key=SECRET_KEY, seed_demo=False
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").status_code == 200
        name = database_url.rsplit("/", 1)[1]
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")

        ready = client.get("/readyz")
        alive = client.get("/healthz")

    assert ready.status_code == 503
    assert ready.json() == {"status": "database unavailable"}
    assert ready.headers["Retry-After"] == "2"
    assert alive.status_code == 200
