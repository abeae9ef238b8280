"""What every fake provider shares: the key it accepts, a recorded log of requests, a queue of
faults to inject on the next calls, and real PNG bytes to answer with."""

from __future__ import annotations

import asyncio
import io
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from PIL import Image
from starlette.requests import Request

KEY = "sk-test-secret-key-123456"
#: Client timeout the tests give adapters; "timeout" faults sleep past it, "slow" ones stay under.
CLIENT_TIMEOUT = 1.5


def png(width: int, height: int, color: tuple[int, int, int] = (20, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    #: When the server received the request (``time.monotonic``, the test process's clock).
    at: float = field(default_factory=time.monotonic)
    query: str = ""


@dataclass
class FakeState:
    key: str = KEY
    faults: deque[str] = field(default_factory=deque)
    #: A fault applied to every call once the queue is empty (a provider that is down).
    always: str | None = None
    seen: list[Seen] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    #: Where answered file URLs point (a CDN of the provider's); None: the API's own host.
    file_base: str | None = None

    def reset(self) -> None:
        self.faults.clear()
        self.always = None
        self.file_base = None
        self.seen.clear()

    def inject(self, *faults: str) -> None:
        """Faults for the next calls, in order; ``"none"`` lets a call through untouched (to
        fault a later call, e.g. a status poll after a clean submit)."""
        self.faults.extend(faults)

    async def record(self, request: Request, body: Any) -> str | None:
        """Log the request and return the fault to apply to it, if any. Timing faults are
        applied here: "timeout" outlasts the client, "slow" answers late but in time."""
        self.seen.append(Seen(request.method, request.url.path, dict(request.headers), body, query=request.url.query))
        fault = self.faults.popleft() if self.faults else self.always
        if fault == "timeout":
            await asyncio.sleep(CLIENT_TIMEOUT * 3)
        elif fault == "slow":
            await asyncio.sleep(CLIENT_TIMEOUT * 0.5)
            return None
        return fault

    def calls(self, path_part: str) -> list[Seen]:
        return [s for s in self.seen if path_part in s.path]
