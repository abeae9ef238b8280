"""Sockets that end: a WebSocket or event stream whose client left stops reading the database,
and shutdown ends the open ones, so `atelier serve` stops on SIGTERM with sockets open.

The render WebSocket used to poll the database every 0.2 s for ever once its client had
gone (the server's CPU climbed with every closed socket) and kept the server from exiting."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from sqlalchemy import event
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from atelier.app import create_app
from atelier.kit.runtime import Runtime
from atelier.settings import Settings
from tests.conftest import PG_URL, REDIS_URL
from tests.helpers.accounts import register
from tests.helpers.live import LiveServer, free_port

ND = "/compat/nanodesigner"
RENDER = {
    "project_id": "launch",
    "prompts": {"task": "create", "instruction": "poster for 'Launch' night"},
    "outputs": {"count": 1, "dimensions": "512x512", "format": "png"},
}


# --- a client of a server whose jobs stay queued (nothing runs them) -------------------------


def login(url: str) -> str:
    creds = {"email": f"socket-{secrets.token_hex(3)}@example.com", "password": "socket password"}
    assert httpx.post(f"{url}/v1/auth/register", json=creds, timeout=30).status_code == 201
    token: str = httpx.post(f"{url}/v1/auth/login", json=creds, timeout=30).json()["access_token"]
    return token


def queued_render(url: str, token: str) -> str:
    """A render of project ``launch`` that stays queued: every stream has something to watch."""
    response = httpx.post(f"{url}{ND}/render/async", json=RENDER, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 202, response.text
    job_id: str = response.json()["job_id"]
    return job_id


def ws_url(url: str, path: str) -> str:
    return url.replace("http://", "ws://") + path


def open_render_socket(url: str, token: str) -> ClientConnection:
    socket = connect(ws_url(url, f"{ND}/ws/render/launch?token={token}"), open_timeout=30)
    assert json.loads(socket.recv(timeout=30))["type"] == "job_status"  # the queued render
    return socket


def open_job_socket(url: str, token: str, job_id: str) -> ClientConnection:
    socket = connect(ws_url(url, f"/v1/generations/{job_id}/ws"), open_timeout=30, additional_headers=bearer(token))
    assert json.loads(socket.recv(timeout=30))["type"] == "job.queued"
    return socket


class EventStream:
    """An open ``GET /v1/generations/{id}/events`` that has delivered its first event."""

    def __init__(self, url: str, token: str, job_id: str) -> None:
        self.client = httpx.Client(timeout=30)
        request = self.client.build_request("GET", f"{url}/v1/generations/{job_id}/events", headers=bearer(token))
        self.response = self.client.send(request, stream=True)
        assert self.response.status_code == 200
        self.lines = self.response.iter_lines()
        assert next(self.lines) == "event: job.queued"
        assert next(self.lines).startswith("data: ") and next(self.lines) == ""

    def close(self) -> None:
        self.response.close()
        self.client.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- (b) in this process: the database reads a stream makes, counted at the engine ----------


class JobReads:
    """Counts the statements that read the ``jobs`` table (what every stream polls)."""

    def __init__(self, runtime: Runtime, on_read: Callable[[], None] = lambda: None) -> None:
        self.count = 0
        self._on_read = on_read
        self._lock = threading.Lock()
        event.listen(runtime.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM jobs" in statement:
            with self._lock:
                self.count += 1
            self._on_read()

    def wait_for_more(self, than: int, bound: float = 30) -> None:
        deadline = time.monotonic() + bound
        while self.count <= than:
            assert time.monotonic() < deadline, "the stream never read the job"
            time.sleep(0.05)

    def quiet(self, window: float = 1.0, bound: float = 20) -> bool:
        """Whether a ``window`` with no reads comes within ``bound`` (a poll every 0.2 s never has one)."""
        deadline = time.monotonic() + bound
        while time.monotonic() < deadline:
            before = self.count
            time.sleep(window)
            if self.count == before:
                return True
        return False


@pytest.fixture
def queued_server(settings: Settings) -> Iterator[LiveServer]:
    settings.jobs.run_in_server = False
    server = LiveServer(create_app(settings))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def runtime_of(server: LiveServer) -> Runtime:
    runtime: Runtime = server.app.state.runtime  # type: ignore[attr-defined]
    return runtime


def assert_stops_reading_when_client_leaves(server: LiveServer, opened: Callable[[str, str, str], Any]) -> None:
    reads = JobReads(runtime_of(server))
    token = login(server.url)
    job_id = queued_render(server.url, token)
    stream = opened(server.url, token, job_id)
    reads.wait_for_more(reads.count + 3)  # it polls while its client is there
    stream.close()
    assert reads.quiet(), "the stream kept polling the database after its client left"
    assert runtime_of(server).streams.open == 0


def test_render_socket_stops_polling_when_its_client_leaves(queued_server: LiveServer) -> None:
    assert_stops_reading_when_client_leaves(queued_server, lambda url, token, _job: open_render_socket(url, token))


def test_job_socket_stops_polling_when_its_client_leaves(queued_server: LiveServer) -> None:
    assert_stops_reading_when_client_leaves(queued_server, open_job_socket)


async def test_event_stream_stops_polling_when_its_client_leaves(settings: Settings) -> None:
    """Driven at the ASGI level by a server of ASGI 2.4, which tells of a disconnect only when
    asked (uvicorn says 2.3, and Starlette's streaming response then watches for it itself)."""
    settings.jobs.run_in_server = False
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            token = (await register(client)).token
            job = await client.post(f"{ND}/render/async", json=RENDER, headers=bearer(token))
        first_event, left, polled = asyncio.Event(), asyncio.Event(), asyncio.Event()
        reads = JobReads(app.state.runtime, on_read=polled.set)
        request_sent = False

        async def receive() -> dict[str, Any]:
            nonlocal request_sent
            if not request_sent:
                request_sent = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await left.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                first_event.set()

        path = f"/v1/generations/{job.json()['job_id']}/events"
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {token}".encode())],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        response = asyncio.create_task(app(scope, receive, send))
        try:
            await asyncio.wait_for(first_event.wait(), 30)
            polled.clear()
            await asyncio.wait_for(polled.wait(), 30)  # it polls while its client is there
            left.set()
            # a liveness bound: a stream that never reads the disconnect runs until the job ends
            await asyncio.wait_for(asyncio.shield(response), 20)
            stopped = reads.count
            await asyncio.sleep(1.0)  # five polls' worth
            assert reads.count == stopped, "the stream polled the database after its client left"
            assert app.state.runtime.streams.open == 0
        finally:
            response.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await response


def test_stopping_the_server_ends_open_streams(settings: Settings) -> None:
    settings.jobs.run_in_server = False
    server = LiveServer(create_app(settings))
    server.start()
    token = login(server.url)
    job_id = queued_render(server.url, token)
    render, job, events = open_render_socket(server.url, token), open_job_socket(server.url, token, job_id), None
    try:
        events = EventStream(server.url, token, job_id)
        server.stop()  # joins the server thread for up to 15 s
        assert not server.running, "the server waited for its open streams"
        for socket in (render, job):
            with pytest.raises(ConnectionClosed) as closed:
                socket.recv(timeout=30)
            # going away (the stream's close) or service restart (uvicorn's, racing it)
            assert closed.value.rcvd is not None and closed.value.rcvd.code in {1001, 1012}
        assert list(events.lines) == []  # the event stream ended cleanly
    finally:
        render.close()
        job.close()
        if events is not None:
            events.close()


def test_stopping_the_server_answers_a_request_waiting_for_its_job(settings: Settings) -> None:
    """``Prefer: wait`` holds a request open for up to two minutes; shutdown answers it at once."""
    settings.jobs.run_in_server = False
    server = LiveServer(create_app(settings))
    server.start()
    token = login(server.url)
    waited: list[httpx.Response] = []
    polling = threading.Event()
    JobReads(runtime_of(server), on_read=polling.set)

    def wait_for_the_job() -> None:
        body = {"prompt": "poster for 'Launch' night", "size": "512x512"}
        headers = {**bearer(token), "Prefer": "wait=120"}
        waited.append(httpx.post(f"{server.url}/v1/generations", json=body, headers=headers, timeout=180))

    waiter = threading.Thread(target=wait_for_the_job, daemon=True)
    waiter.start()
    try:
        polls = 0
        while polls < 3:  # the request is waiting, reading the job now and then
            assert polling.wait(30), "the request never waited for its job"
            polling.clear()
            polls += 1
        server.stop()  # joins the server thread for up to 15 s
        assert not server.running, "the server waited for the request"
        waiter.join(30)
        assert waited and waited[0].status_code == 202 and waited[0].json()["status"] == "queued"
    finally:
        server.stop()


# --- (a) `atelier serve` in its own process -------------------------------------------------


def serve(tmp_path: Path, database_url: str) -> tuple[subprocess.Popen[bytes], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    env.update(
        {
            "ATELIER_DATA_DIR": str(tmp_path / "serve-data"),
            "ATELIER_DATABASE_URL": database_url,
            "ATELIER_JOBS__RUN_IN_SERVER": "false",
            "ATELIER_LIMITS__ENABLED": "false",
        }
    )
    if PG_URL and REDIS_URL:
        env["ATELIER_REDIS_URL"] = REDIS_URL
        env["ATELIER_REDIS_NAMESPACE"] = f"sockets-{secrets.token_hex(6)}"
    port = free_port()
    log = (tmp_path / "serve.log").open("ab")
    proc = subprocess.Popen([sys.executable, "-m", "atelier.cli", "serve", "--port", str(port)], env=env, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health").status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start: " + (tmp_path / "serve.log").read_text()[-3000:])


def idle_cpu_seconds(process: psutil.Process, window: float = 6.0) -> float:
    """CPU time the server uses over a quiet ``window`` (no request is in flight)."""
    time.sleep(1.0)  # what the last request set off settles
    before = process.cpu_times()
    time.sleep(window)
    after = process.cpu_times()
    return (after.user - before.user) + (after.system - before.system)


def test_closed_sockets_leave_the_server_idle_and_sigterm_stops_it(tmp_path: Path, database_url: str) -> None:
    proc, url = serve(tmp_path, database_url)
    streams: list[Any] = []
    try:
        process = psutil.Process(proc.pid)
        token = login(url)
        job_id = queued_render(url, token)
        baseline = idle_cpu_seconds(process)
        for _ in range(10):
            streams += [open_render_socket(url, token), open_job_socket(url, token, job_id)]
            streams.append(EventStream(url, token, job_id))
        for stream in streams:
            stream.close()
        after = idle_cpu_seconds(process)
        # before the fix, the 20 WebSockets left polling cost ~0.7 s of CPU in that window; idle is ~0.02 s
        assert after <= baseline + 0.25, f"idle CPU {after:.2f} s after the sockets closed, {baseline:.2f} s before"

        streams = [open_render_socket(url, token), open_job_socket(url, token, job_id)]
        streams.append(EventStream(url, token, job_id))
        proc.send_signal(signal.SIGTERM)
        # a liveness bound, not a speed measure: a server that waits for its sockets never exits
        proc.wait(timeout=20)
        # uvicorn shuts down gracefully, then re-raises the signal it caught: a clean stop on SIGTERM
        assert proc.returncode == -signal.SIGTERM
    finally:
        for stream in streams:
            stream.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
