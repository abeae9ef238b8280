"""uvicorn's server, told to end the app's open streams as soon as it begins to shut down.

uvicorn waits for open connections to close before it sends the lifespan shutdown, so a
WebSocket or event stream that only ended at lifespan exit would hold the process forever."""

from __future__ import annotations

import socket

import uvicorn


class Server(uvicorn.Server):
    """Serves an app object; an Atelier app's streams are on ``app.state.runtime`` (any other
    app has none, and nothing to end)."""

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        runtime = getattr(getattr(self.config.app, "state", None), "runtime", None)
        if runtime is not None:
            runtime.streams.close()
        await super().shutdown(sockets)
