"""Every endpoint and dependency of the application is a coroutine, by construction.

FastAPI runs a plain ``def`` endpoint or dependency on a worker thread (Starlette's
``run_in_threadpool``): a thread hop per request, paid on every route that uses it, for code
that in practice only reads attributes (``get_runtime`` did, on 103 routes). Blocking work
belongs in an ``async def`` that says so with ``asyncio.to_thread``. :func:`check_async`
refuses to build an application that has a plain callable anywhere in a route's tree."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, APIWebSocketRoute, iter_route_contexts


def _is_async(call: Callable[..., Any]) -> bool:
    if inspect.isclass(call):  # instantiating a class is a plain call
        return False
    if inspect.isroutine(call):
        return inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)
    method = getattr(call, "__call__", None)  # noqa: B004 - an instance with an async __call__
    return method is not None and (inspect.iscoroutinefunction(method) or inspect.isasyncgenfunction(method))


def _plain_calls(dependant: Dependant) -> Iterator[str]:
    stack = [dependant]
    while stack:
        current = stack.pop()
        if current.call is not None and not _is_async(current.call):
            yield getattr(current.call, "__qualname__", repr(current.call))
        stack.extend(current.dependencies)


def threaded_calls(app: FastAPI) -> list[str]:
    """``METHODS path: name`` of each endpoint or dependency FastAPI would run on a thread."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute | APIWebSocketRoute):
            methods = ",".join(sorted(context.methods or ())) or "WS"
            found += [f"{methods} {context.path}: {name}" for name in dict.fromkeys(_plain_calls(route.dependant))]
    return found


def check_async(app: FastAPI) -> None:
    """Refuse to build an application with an endpoint or dependency that is not async."""
    plain = threaded_calls(app)
    if plain:
        raise RuntimeError(
            "Endpoints and dependencies must be async (FastAPI runs a plain def on a thread): " + ", ".join(plain)
        )
