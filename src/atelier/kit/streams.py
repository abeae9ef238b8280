"""Long-lived responses (WebSockets, Server-Sent Events) that end when their client leaves
or the server shuts down.

Every stream goes through :func:`run`: its work (sending events) races a listener that
reads the client's messages until it disconnects, and the process's ``closing`` event, set
at shutdown. Event sources wait between two polls with :meth:`Stream.pause`, which returns
``False`` once the stream is over, so a stream whose client left reads nothing more."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from enum import Enum
from typing import Any

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from atelier.kit.tasks import finish

#: One message a stream sends: a JSON object (an SSE event is ``{"event": …, "data": …}``).
Event = dict[str, Any]
#: Makes a stream's events; it waits between polls with ``stream.pause`` and stops when that says so.
Source = Callable[["Stream"], AsyncIterator[Event]]
#: How long a source may take to finish the round it was in once its stream is over.
GRACE_SECONDS = 2.0
#: Set on a WebSocket's or a request's scope state by its access check (``auth.access``): a
#: callable saying whether the credential still admits it (not revoked, disabled, or its
#: password changed since). Every socket and SSE stream asks it every ``RECHECK_SECONDS``.
RECHECK_STATE = "atelier.stream.recheck"
RECHECK_SECONDS = 5.0
Recheck = Callable[[], Awaitable[bool]]
#: What a send to a client that has gone raises, depending on the server.
_GONE = (WebSocketDisconnect, OSError)


class Ending(Enum):
    DONE = "done"  # the source had nothing more to say
    LEFT = "left"  # the client disconnected
    CLOSING = "closing"  # the server is shutting down
    REVOKED = "revoked"  # the credential that opened it no longer admits it


class Streams:
    """The process's open streams: ``close()`` at shutdown ends every one of them."""

    def __init__(self) -> None:
        self.closing = asyncio.Event()
        #: How many streams are open now.
        self.open = 0

    def close(self) -> None:
        self.closing.set()


class Stream:
    """One open stream, as its event source sees it."""

    def __init__(self, streams: Streams) -> None:
        self.streams = streams
        self._over = asyncio.Event()

    @property
    def over(self) -> bool:
        return self._over.is_set()

    def end(self) -> None:
        self._over.set()

    async def pause(self, seconds: float) -> bool:
        """Waits ``seconds`` between two polls; ``False``, at once, when the stream is over."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._over.wait(), seconds)
        return not self.over


async def _revoked(stream: Stream, recheck: Recheck | None) -> None:
    """Returns once ``recheck`` says the credential no longer admits the stream."""
    if recheck is None:
        await asyncio.Event().wait()  # nothing to re-check: never
        return
    while await stream.pause(RECHECK_SECONDS):
        if not await recheck():
            return


async def run(
    stream: Stream,
    work: Coroutine[Any, Any, None],
    listen: Callable[[], Awaitable[None]],
    recheck: Recheck | None = None,
) -> Ending:
    """Runs ``work`` until it ends, ``listen`` returns (the client left), the server shuts
    down or ``recheck`` refuses the credential; then lets the work finish its round (up to
    ``GRACE_SECONDS``) and ends it."""
    streams = stream.streams
    worker = asyncio.ensure_future(work)
    listener = asyncio.ensure_future(listen())
    closing = asyncio.ensure_future(streams.closing.wait())
    revoked = asyncio.ensure_future(_revoked(stream, recheck))
    streams.open += 1
    try:
        await asyncio.wait({worker, listener, closing, revoked}, return_when=asyncio.FIRST_COMPLETED)
        ending = (
            Ending.LEFT
            if listener.done()
            else Ending.CLOSING
            if closing.done()
            else Ending.REVOKED
            if revoked.done()
            else Ending.DONE
        )
        stream.end()
        try:
            await finish(worker, GRACE_SECONDS)
        except _GONE:
            ending = Ending.LEFT
        return ending
    finally:
        stream.end()
        streams.open -= 1
        for task in (worker, listener, closing, revoked):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError, *_GONE):
            await asyncio.gather(worker, listener, closing, revoked, return_exceptions=True)


async def send_events(websocket: WebSocket, streams: Streams, source: Source) -> Ending:
    """Sends ``source``'s events as JSON on an accepted socket; closes it with 1000 when the
    source is done, 1001 (going away) when the server shuts down, 4401 when the credential
    that opened it was revoked (re-checked every ``RECHECK_SECONDS``)."""
    stream = Stream(streams)

    async def work() -> None:
        async for event in source(stream):
            await websocket.send_json(event)

    async def listen() -> None:
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass  # nothing is expected from the client; whatever it sends is read and dropped

    recheck = websocket.scope.get("state", {}).get(RECHECK_STATE)
    ending = await run(stream, work(), listen, recheck)
    if ending is not Ending.LEFT:
        code, reason = {
            Ending.DONE: (1000, ""),
            Ending.CLOSING: (1001, ""),
            Ending.REVOKED: (4401, "The credential that opened this socket no longer admits it"),
        }[ending]
        with contextlib.suppress(RuntimeError, *_GONE):
            await websocket.close(code, reason)
    return ending


#: The last event of a stream whose credential was revoked while it was open.
_REVOKED_EVENT = (
    "event: error\ndata: "
    + json.dumps({"code": "CREDENTIAL_REVOKED", "message": "The credential that opened this stream is revoked"})
    + "\n\n"
).encode()


class EventStreamResponse(StreamingResponse):
    """``text/event-stream`` of ``source``'s events (``{"event": name, "data": JSON-able}``),
    ended when the client disconnects, the server shuts down or (re-checked every
    ``RECHECK_SECONDS``) the credential that opened it no longer admits it."""

    def __init__(self, streams: Streams, source: Source) -> None:
        super().__init__(iter(()), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
        self.streams = streams
        self.source = source

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        stream = Stream(self.streams)

        async def work() -> None:
            async for event in self.source(stream):
                chunk = f"event: {event['event']}\ndata: {json.dumps(event['data'])}\n\n"
                await send({"type": "http.response.body", "body": chunk.encode(), "more_body": True})

        async def listen() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass  # the (empty) request body

        ending = await run(stream, work(), listen, scope.get("state", {}).get(RECHECK_STATE))
        if ending is not Ending.LEFT:
            last = _REVOKED_EVENT if ending is Ending.REVOKED else b""
            with contextlib.suppress(*_GONE):
                await send({"type": "http.response.body", "body": last, "more_body": False})
