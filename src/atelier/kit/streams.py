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
#: What a send to a client that has gone raises, depending on the server.
_GONE = (WebSocketDisconnect, OSError)


class Ending(Enum):
    DONE = "done"  # the source had nothing more to say
    LEFT = "left"  # the client disconnected
    CLOSING = "closing"  # the server is shutting down


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


async def run(stream: Stream, work: Coroutine[Any, Any, None], listen: Callable[[], Awaitable[None]]) -> Ending:
    """Runs ``work`` until it ends, ``listen`` returns (the client left) or the server shuts
    down; then lets the work finish its round (up to ``GRACE_SECONDS``) and ends it."""
    streams = stream.streams
    worker = asyncio.ensure_future(work)
    listener = asyncio.ensure_future(listen())
    closing = asyncio.ensure_future(streams.closing.wait())
    streams.open += 1
    try:
        await asyncio.wait({worker, listener, closing}, return_when=asyncio.FIRST_COMPLETED)
        ending = Ending.LEFT if listener.done() else Ending.CLOSING if closing.done() else Ending.DONE
        stream.end()
        try:
            await finish(worker, GRACE_SECONDS)
        except _GONE:
            ending = Ending.LEFT
        return ending
    finally:
        stream.end()
        streams.open -= 1
        for task in (worker, listener, closing):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError, *_GONE):
            await asyncio.gather(worker, listener, closing, return_exceptions=True)


async def send_events(websocket: WebSocket, streams: Streams, source: Source) -> Ending:
    """Sends ``source``'s events as JSON on an accepted socket; closes it with 1000 when the
    source is done, 1001 (going away) when the server shuts down."""
    stream = Stream(streams)

    async def work() -> None:
        async for event in source(stream):
            await websocket.send_json(event)

    async def listen() -> None:
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass  # nothing is expected from the client; whatever it sends is read and dropped

    ending = await run(stream, work(), listen)
    if ending is not Ending.LEFT:
        with contextlib.suppress(RuntimeError, *_GONE):
            await websocket.close(1000 if ending is Ending.DONE else 1001)
    return ending


class EventStreamResponse(StreamingResponse):
    """``text/event-stream`` of ``source``'s events (``{"event": name, "data": JSON-able}``),
    ended when the client disconnects or the server shuts down."""

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

        if await run(stream, work(), listen) is not Ending.LEFT:
            with contextlib.suppress(*_GONE):
                await send({"type": "http.response.body", "body": b"", "more_body": False})
