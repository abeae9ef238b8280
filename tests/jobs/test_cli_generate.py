"""`atelier generate` on the embedded default (no server) and against a server with a key;
`atelier worker` has help like every command."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import httpx
from PIL import Image

from atelier.images.metadata import read as read_metadata
from tests.helpers.live import LiveServer

ATELIER = [sys.executable, "-m", "atelier.cli"]


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ATELIER, *args], env=env, input=stdin, capture_output=True, text=True, timeout=180)


def cli_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    env.update({"ATELIER_DATA_DIR": str(tmp_path / "cli-data"), "ATELIER_DATABASE_URL": database_url})
    return env


def check_images(paths: list[str], size: tuple[int, int]) -> set[str]:
    job_ids = set()
    for path in paths:
        data = Path(path).read_bytes()
        assert Image.open(io.BytesIO(data)).size == size
        meta = read_metadata(data)
        assert meta is not None
        job_ids.add(meta["job_id"])
    return job_ids


def test_generate_on_the_embedded_default(tmp_path: Path, database_url: str) -> None:
    env = cli_env(tmp_path, database_url)
    nobody = run(["generate", "logo for 'Fern'", "-o", str(tmp_path / "none")], env)
    assert nobody.returncode == 1 and "atelier users create" in nobody.stderr
    assert run(["users", "create", "--email", "me@example.com"], env, stdin="long password\n").returncode == 0
    out = tmp_path / "out"
    done = run(["generate", "logo for 'Fern' garden shop", "-n", "2", "--size", "256x256", "-o", str(out)], env)
    assert done.returncode == 0, done.stderr
    paths = done.stdout.split()
    assert len(paths) == 2 and all(Path(p).parent == out for p in paths)
    assert len(check_images(paths, (256, 256))) == 1
    assert "100%" in done.stderr
    bad = run(["generate", "x", "--size", "huge", "-o", str(out)], env)
    assert bad.returncode == 1 and "size" in bad.stderr


def test_generate_against_a_server_with_a_key(tmp_path: Path, database_url: str, live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url) as client:
        creds = {"email": "cli@example.com", "password": "cli password"}
        client.post("/v1/auth/register", json=creds)
        token = client.post("/v1/auth/login", json=creds).json()["access_token"]
        key = client.post("/v1/keys", json={"name": "cli"}, headers={"Authorization": f"Bearer {token}"}).json()["key"]
    env = cli_env(tmp_path, database_url)
    out = tmp_path / "remote"
    args = ["generate", "poster for 'Tide' surf", "-n", "2", "--size", "320x240", "--format", "webp", "-o", str(out)]
    done = run([*args, "--server", live_server.url, "--key", key], env)
    assert done.returncode == 0, done.stderr
    paths = done.stdout.split()
    assert len(paths) == 2 and all(p.endswith(".webp") for p in paths)
    check_images(paths, (320, 240))
    refused = run([*args, "--server", live_server.url, "--key", "atl_wrong"], env)
    assert refused.returncode == 1 and "401" in refused.stderr
    unknown = run(["generate", "x", "--model", "nope", "--server", live_server.url, "--key", key], env)
    assert unknown.returncode == 1 and "Unknown model" in unknown.stderr


def test_worker_and_generate_have_help(tmp_path: Path, database_url: str) -> None:
    env = cli_env(tmp_path, database_url)
    for command in (["worker"], ["generate"]):
        result = run([*command, "--help"], env)
        assert result.returncode == 0 and "Usage" in result.stdout
