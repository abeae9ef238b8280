"""uvicorn's server, told to end the app's open streams as soon as it begins to shut down.

uvicorn waits for open connections to close before it sends the lifespan shutdown, so a
WebSocket or event stream that only ended at lifespan exit would hold the process forever."""

from __future__ import annotations

import socket

import uvicorn
from starlette.types import ASGIApp


class Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: ASGIApp | None = None) -> None:
        super().__init__(config)
        #: The app whose ``state.runtime`` holds the streams (any other app: nothing to end).
        self.app = app if app is not None else config.app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        runtime = getattr(getattr(self.app, "state", None), "runtime", None)
        if runtime is not None:
            runtime.streams.close()
        await super().shutdown(sockets)
