"""uvicorn's server, told to end the app's open streams as soon as it begins to shut down.

uvicorn waits for open connections to close before it sends the lifespan shutdown, so a
WebSocket or event stream that only ended at lifespan exit would hold the process forever.

Once started, ``atelier serve`` (and ``atelier worker``) freezes what start-up built out of the
garbage collector's scans (:func:`freeze_startup_objects`)."""

from __future__ import annotations

import gc
import socket

import uvicorn


def freeze_startup_objects() -> None:
    """Move every object alive now (routes, settings, the safety models, SQLAlchemy's
    mappers: ~230,000 tracked ones) to the collector's permanent generation. They live as long
    as the process, and each full collection walked them all: at 16 concurrent requests in
    bench_gateway's server, 189 ms a pause of every request in flight (45 ms frozen), several
    times a minute. Only in a process that serves or works until it exits: what is frozen is
    never collected (tests build and drop many runtimes)."""
    gc.freeze()


class Server(uvicorn.Server):
    """Serves an app object; an Atelier app's streams are on ``app.state.runtime`` (any other
    app has none, and nothing to end)."""

    def __init__(self, config: uvicorn.Config, *, freeze: bool = False) -> None:
        super().__init__(config)
        #: ``atelier serve``: freeze what start-up built once the server is up.
        self.freeze = freeze

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)  # the app's lifespan start-up included
        if self.freeze and self.started:
            freeze_startup_objects()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        runtime = getattr(getattr(self.config.app, "state", None), "runtime", None)
        if runtime is not None:
            runtime.streams.close()
        await super().shutdown(sockets)
