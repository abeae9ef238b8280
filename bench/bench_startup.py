"""Time from `atelier serve` to its first `/health` 200 on the embedded default, in a fresh
empty data folder each run (migrations, generated secret, storage folder, in-process
workers), beside a bare uvicorn serving a one-route FastAPI app started the same way.

Usage: ``python bench/bench_startup.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BARE_APP = """
from fastapi import FastAPI
app = FastAPI()

@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def time_to_health(command: list[str], port: int, cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode} before answering")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=0.5).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            if time.perf_counter() - started > 60:
                raise RuntimeError("no /health answer within 60 s")
            time.sleep(0.02)
    finally:
        process.terminate()
        process.wait(timeout=20)


def atelier_run(workdir: Path) -> float:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    command = [sys.executable, "-m", "atelier.cli", "serve", "--port", str(port)]
    return time_to_health(command, port, workdir, env)


def bare_run(workdir: Path) -> float:
    (workdir / "bare_app.py").write_text(BARE_APP)
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(port), "--log-level", "warning"]
    return time_to_health(command, port, workdir, dict(os.environ))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: dict[str, list[float]] = {"atelier serve (fresh data folder)": [], "bare uvicorn + FastAPI": []}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            rows["atelier serve (fresh data folder)"].append(atelier_run(Path(tmp)))
        with tempfile.TemporaryDirectory() as tmp:
            rows["bare uvicorn + FastAPI"].append(bare_run(Path(tmp)))
    print(f"start → first /health 200, {args.runs} runs each")
    print(f"{'server':<36}{'median s':>10}{'max s':>10}")
    for name, samples in rows.items():
        print(f"{name:<36}{statistics.median(samples):>10.2f}{max(samples):>10.2f}")
    atelier, bare = (statistics.median(s) for s in rows.values())
    print(f"ratio atelier/bare: {atelier / bare:.2f}x")


if __name__ == "__main__":
    main()
