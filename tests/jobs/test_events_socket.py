"""The WebSocket carries the same events as the SSE stream: progress, then completion."""

from __future__ import annotations

import json

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.helpers.engines import SlowEngine
from tests.helpers.live import LiveServer


def key_for(url: str) -> str:
    with httpx.Client(base_url=url) as client:
        creds = {"email": "ws@example.com", "password": "ws password"}
        client.post("/v1/auth/register", json=creds)
        token = client.post("/v1/auth/login", json=creds).json()["access_token"]
        key: str = client.post("/v1/keys", json={"name": "ws"}, headers={"Authorization": f"Bearer {token}"}).json()[
            "key"
        ]
        return key


def test_socket_reports_progress_then_the_finished_job(live_server: LiveServer) -> None:
    # long enough to report progress (a job that ends within the progress interval reports none)
    live_server.app.state.runtime.router.register(SlowEngine("stepper", steps=8, delay=0.15), models=["stepper"])  # type: ignore[attr-defined]
    key = key_for(live_server.url)
    body = {"prompt": "three posters for 'Lumen' festival", "n": 3, "size": "64x64", "model": "stepper"}
    job = httpx.post(f"{live_server.url}/v1/generations", json=body, headers={"X-API-Key": key}).json()
    ws_url = live_server.url.replace("http://", "ws://") + f"/v1/generations/{job['id']}/ws?api_key={key}"
    messages = []
    with connect(ws_url, open_timeout=10) as socket:
        try:
            while True:
                messages.append(json.loads(socket.recv(timeout=60)))
        except ConnectionClosed:
            pass
    types = [m["type"] for m in messages]
    assert types[-1] == "job.succeeded" and len(messages[-1]["assets"]) == 3
    assert all(t in {"job.queued", "job.progress", "job.succeeded"} for t in types)
    assert "job.progress" in types
    progress = [m["progress"] for m in messages]
    assert progress == sorted(progress)


def test_socket_refuses_a_wrong_key(live_server: LiveServer) -> None:
    key = key_for(live_server.url)
    job = httpx.post(f"{live_server.url}/v1/generations", json={"prompt": "x"}, headers={"X-API-Key": key}).json()
    ws_url = live_server.url.replace("http://", "ws://") + f"/v1/generations/{job['id']}/ws?api_key=atl_wrong"
    with pytest.raises(ConnectionClosed) as closed, connect(ws_url, open_timeout=10) as socket:
        socket.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
