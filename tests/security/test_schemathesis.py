"""Schemathesis over the whole OpenAPI document: every operation, anonymous and with a valid
API key, never answers 5xx and always answers what the document says (body schema and status
code). Examples are derandomized (fixed per operation), so a run is repeatable; their number
per operation is bounded so the module stays within a few minutes on a small machine.

The app is module-scoped; schemathesis starts its lifespan (on its own event-loop thread) on
the first call and the module's teardown stops it."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks
from schemathesis.generation.case import Case
from schemathesis.python import asgi
from schemathesis.specs.openapi.schemas import OpenApiSchema

from atelier.app import create_app
from atelier.settings import Settings
from tests.conftest import PG_URL, REDIS_URL, S3_TEST, _truncate

EXAMPLES = int(os.environ.get("ATELIER_SCHEMATHESIS_EXAMPLES", "30"))  # per operation and caller
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance, checks.status_code_conformance]
FIGURES: dict[str, object] = {"operations": set(), "requests": 0, "server_errors": []}


@pytest.fixture(scope="module")
def api_app(
    tmp_path_factory: pytest.TempPathFactory, database_template: str, request: pytest.FixtureRequest
) -> Iterator[FastAPI]:
    data_dir = tmp_path_factory.mktemp("schemathesis") / "data"
    data_dir.mkdir()
    if PG_URL:
        asyncio.run(_truncate(database_template))
        database_url = database_template
    else:
        shutil.copy(database_template, data_dir / "atelier.db")
        database_url = f"sqlite+aiosqlite:///{data_dir / 'atelier.db'}"
    extra: dict[str, object] = {}
    if S3_TEST:
        extra["storage"] = request.getfixturevalue("s3_server").storage_settings()
    app = create_app(
        Settings(
            environment="test",  # type: ignore[arg-type]
            data_dir=data_dir,
            database_url=database_url,
            redis_url=REDIS_URL if PG_URL else None,
            redis_namespace=f"atelier-test-{secrets.token_hex(6)}",
            auth={"secret_key": secrets.token_urlsafe(48)},  # type: ignore[arg-type]
            **extra,  # type: ignore[arg-type]
        )
    )
    yield app
    asgi.shutdown_lifespans()


@pytest.fixture(scope="module")
def api_schema(api_app: FastAPI) -> OpenApiSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", api_app)


@pytest.fixture(scope="module")
def api_key(api_app: FastAPI) -> str:
    with asgi.get_client(api_app) as client:
        creds = {"email": "schemathesis@example.com", "password": "correct horse battery"}
        assert client.post("http://localhost/v1/auth/register", json=creds).status_code == 201
        token = client.post("http://localhost/v1/auth/login", json=creds).json()["access_token"]
        created = client.post(
            "http://localhost/v1/keys", json={"name": "schemathesis"}, headers={"Authorization": f"Bearer {token}"}
        )
        assert created.status_code == 201, created.text
        key: str = created.json()["key"]
        return key


bounded = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def call(case: Case, headers: dict[str, str]) -> None:
    FIGURES["requests"] = int(str(FIGURES["requests"])) + 1
    response = case.call(headers=headers)
    if response.status_code >= 500:
        errors = FIGURES["server_errors"]
        assert isinstance(errors, list)
        errors.append(f"{case.operation.label} -> {response.status_code}")
    case.validate_response(response, checks=CHECKS)


def run_every_operation(schema: OpenApiSchema, headers: dict[str, str]) -> list[str]:
    """Each operation's failures (the first one hypothesis finds for it), every operation run."""
    failures = []
    operations = FIGURES["operations"]
    assert isinstance(operations, set)
    for result in schema.get_all_operations():
        operation = result.ok()
        operations.add(operation.label)

        @bounded
        @given(case=operation.as_strategy())
        def examples(case: Case) -> None:
            call(case, headers)

        try:
            examples()
        except (Exception, BaseExceptionGroup) as exc:  # every operation runs; failures are reported together
            failures.append(f"{operation.label}: {str(exc).strip()[:1500]}")
    return failures


def test_anonymous(api_schema: OpenApiSchema, api_key: str) -> None:
    # the key is made first: the anonymous run spends the per-address registration limit
    failures = run_every_operation(api_schema, {})
    assert not failures, "\n\n".join(failures)


def test_with_an_api_key(api_schema: OpenApiSchema, api_key: str) -> None:
    failures = run_every_operation(api_schema, {"X-API-Key": api_key})
    assert not failures, "\n\n".join(failures)


def test_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """Last in the module: the figures, in CI's output whatever passed or failed above."""
    operations, errors = FIGURES["operations"], FIGURES["server_errors"]
    assert isinstance(operations, set) and isinstance(errors, list)
    with capsys.disabled():
        print(
            f"\nschemathesis: {len(operations)} operations, {FIGURES['requests']} requests, "
            f"{len(errors)} server errors{': ' + '; '.join(sorted(set(errors))) if errors else ''}"
        )
