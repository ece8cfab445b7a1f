"""Where the tests reach PostgreSQL as an administrator (to create databases)."""

from __future__ import annotations

import os

POSTGRES_ADMIN_URL = os.environ.get(
    "HEALTHCHECK_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
