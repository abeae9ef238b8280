"""Every endpoint and dependency is async: FastAPI would run a plain ``def`` on a thread."""

from __future__ import annotations

import pytest
from fastapi import Depends, FastAPI, Request

from atelier.kit.routes import check_async, threaded_calls


def test_no_route_of_the_application_runs_anything_on_a_thread(app: FastAPI) -> None:
    assert threaded_calls(app) == []


def test_a_plain_dependency_or_endpoint_is_refused() -> None:
    app = FastAPI()

    async def state(request: Request) -> object:
        return request.app.state

    @app.get("/fine")
    async def fine(found: object = Depends(state)) -> dict[str, str]:
        return {}

    check_async(app)

    def plain_state(request: Request) -> object:
        return request.app.state

    @app.get("/hop")
    async def hop(found: object = Depends(plain_state)) -> dict[str, str]:
        return {}

    @app.get("/plain")
    def plain() -> dict[str, str]:
        return {}

    with pytest.raises(RuntimeError) as refused:
        check_async(app)
    assert "GET /hop: test_a_plain_dependency_or_endpoint_is_refused.<locals>.plain_state" in str(refused.value)
    assert "GET /plain: test_a_plain_dependency_or_endpoint_is_refused.<locals>.plain" in str(refused.value)
