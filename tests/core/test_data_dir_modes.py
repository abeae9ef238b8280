"""The data folder and the SQLite database in it are private to the account Atelier runs as,
whatever the umask: the folder 0700, the database and its WAL and shared-memory files 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from atelier.app import create_app
from atelier.settings import Settings
from tests.conftest import PG_URL
from tests.helpers.accounts import register


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The loosest umask: nothing but the code's own modes keeps the files private."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


async def test_a_started_app_keeps_its_data_folder_and_database_private(settings: Settings, open_umask: None) -> None:
    settings = settings.model_copy(update={"data_dir": settings.data_dir.parent / "fresh-data"})
    if not PG_URL:  # a database file of its own, created by the app
        settings = settings.model_copy(update={"database_url": None})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            await register(client)  # a write: the WAL holds it until a checkpoint
        assert mode(settings.data_dir) == 0o700
        if PG_URL:
            pytest.skip("PostgreSQL keeps no database file in the data folder (the folder's mode was checked)")
        database = settings.data_dir / "atelier.db"
        files = [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))]
        assert all(f.exists() for f in files), sorted(p.name for p in settings.data_dir.iterdir())
        assert {f.name: oct(mode(f)) for f in files} == {f.name: oct(0o600) for f in files}


async def test_an_existing_database_file_is_made_private(app: object, settings: Settings) -> None:
    """The test database is a copy of a template (0644 under the usual umask)."""
    assert mode(settings.data_dir) == 0o700
    if PG_URL:
        pytest.skip("PostgreSQL keeps no database file in the data folder (the folder's mode was checked)")
    for f in settings.data_dir.glob("atelier.db*"):
        assert mode(f) == 0o600, (f.name, oct(mode(f)))
