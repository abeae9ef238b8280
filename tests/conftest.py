"""Fixtures shared by every domain's tests.

Databases: SQLite by default (a fresh file per test, copied from a migrated template);
PostgreSQL when ``ATELIER_TEST_DATABASE_URL`` is set (one migrated database per run, every
table truncated before each test). Redis tests read ``ATELIER_TEST_REDIS_URL``; on CI
(``CI`` set) a missing service address is a failure, never a skip.

Hypothesis runs the ``deterministic`` profile on every run, local and CI alike: examples come
from a fixed derivation of each test (``derandomize``), no example database is read or written
(a failure once found in ``.hypothesis/`` must not decide later runs), and no deadline (a loaded
machine is not a failure). ``pytest --hypothesis-profile=explore`` draws fresh random examples,
more of them, to look for new failures; add what it finds as an ``@example``.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

from atelier.app import create_app
from atelier.kit.db import create_engine
from atelier.migrations.runner import upgrade
from atelier.models import metadata
from atelier.settings import Settings
from tests.helpers.live import LiveServer
from tests.helpers.s3 import S3Server

hypothesis_settings.register_profile("deterministic", derandomize=True, database=None, max_examples=50, deadline=None)
hypothesis_settings.register_profile("explore", database=None, max_examples=500, deadline=None)
hypothesis_settings.load_profile("deterministic")

PG_URL = os.environ.get("ATELIER_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("ATELIER_TEST_REDIS_URL")
#: Set on the scale-out CI run: every test's storage is S3 (a moto server for the session).
S3_TEST = bool(os.environ.get("ATELIER_TEST_S3"))
ON_CI = bool(os.environ.get("CI"))


def require_service(url: str | None, name: str) -> str:
    if url:
        return url
    if ON_CI:
        pytest.fail(f"{name} address not set on CI; .ci/run must export it")
    pytest.skip(f"{name} not configured (set ATELIER_TEST_{name.upper()}_URL)")


async def _create_pg_database(base_url: str, name: str) -> str:
    engine = create_engine(base_url)
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    url = base_url.rsplit("/", 1)[0] + "/" + name
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    return url


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database: a SQLite file to copy, or a PostgreSQL URL to truncate."""
    if PG_URL:
        return asyncio.run(_create_pg_database(PG_URL, f"atelier_test_{os.getpid()}"))
    path = tmp_path_factory.mktemp("template") / "atelier.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    asyncio.run(upgrade(engine))
    asyncio.run(engine.dispose())
    return str(path)


async def _truncate(url: str) -> None:
    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> str:
    if PG_URL:
        asyncio.run(_truncate(database_template))
        return database_template
    target = tmp_path / "data" / "atelier.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(database_template, target)
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture
def redis_url() -> str:
    # tests that need Redis itself run on every pass: on the embedded-default pass too, with the
    # Redis that .ci/run exports as the base address
    return require_service(REDIS_URL or os.environ.get("ATELIER_TEST_REDIS_BASE"), "redis")


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    with S3Server() as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path, database_url: str, request: pytest.FixtureRequest) -> Settings:
    """The embedded default, or, when the scale-out services are configured for this run,
    PostgreSQL and Redis (with a namespace of its own per test), and S3 storage when
    ``ATELIER_TEST_S3`` is set."""
    extra: dict[str, object] = {}
    if S3_TEST:
        extra["storage"] = request.getfixturevalue("s3_server").storage_settings()
    return Settings(
        environment="test",  # type: ignore[arg-type]
        data_dir=tmp_path / "data",
        database_url=database_url,
        redis_url=REDIS_URL if PG_URL else None,
        redis_namespace=f"atelier-test-{secrets.token_hex(6)}",
        auth={"secret_key": secrets.token_urlsafe(48)},  # type: ignore[arg-type]
        # tests change a component and read the health report straight after: no caching here
        # (tests/security/test_anonymous_surface.py tests the cache)
        monitoring={"health_cache_seconds": 0},  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI, request: pytest.FixtureRequest) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    mounts: dict[str, httpx.AsyncBaseTransport] = {}
    if S3_TEST:  # presigned asset URLs point at the S3 server, over real HTTP
        mounts[request.getfixturevalue("s3_server").endpoint] = httpx.AsyncHTTPTransport()
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver", mounts=mounts) as c:
        yield c


@pytest.fixture
def live_server(settings: Settings) -> Iterator[LiveServer]:
    """The real app under uvicorn on a free loopback port, for SDKs and sync clients."""
    server = LiveServer(create_app(settings))
    server.start()
    try:
        yield server
    finally:
        server.stop()


#: Fixtures through which a test reaches the database, Redis or storage (``settings`` is
#: the root of every app and live server).
_SERVICE_FIXTURES = frozenset({"settings", "database_url", "database_template", "redis_url", "s3_server"})
#: Modules that read the service addresses from the environment themselves (subprocesses).
_SERVICE_MODULES = frozenset(
    {
        "test_cli_generate.py",
        "test_orphans.py",
        "test_crash_recovery.py",
        "test_plans.py",
        "test_cli.py",
        "test_prometheus.py",
        "test_schemathesis.py",
        "test_sockets.py",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the scale-out pass (``ATELIER_TEST_DATABASE_URL`` set), a test that reaches no
    service (a design render, a planner rule, a parser) is the same test it was on the
    embedded pass: it ran there and is deselected here, so the second pass spends its time
    on what PostgreSQL, Redis and S3 change."""
    if not PG_URL:
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        uses_services = _SERVICE_FIXTURES & set(getattr(item, "fixturenames", ()))
        (kept if uses_services or item.path.name in _SERVICE_MODULES else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
