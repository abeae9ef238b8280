"""Atelier as an image gateway beside LiteLLM's proxy and the bare upstream (issue #11).

One fake OpenAI-compatible upstream (a raw ASGI app under uvicorn, in its own process)
answers ``POST /v1/images/generations`` at once with a fixed 256² PNG as ``b64_json``.
Routed to it, in the same run, with the same client (httpx, keep-alive) and the same body:

- Atelier, a real ``atelier serve`` subprocess, on SQLite (embedded default) and on
  PostgreSQL + Redis (a fresh database, created and dropped here, and its own Redis namespace);
- LiteLLM's proxy (no database), from the peers' own virtual environment (``bench/peers.sh``);
- the upstream itself, called directly.

Each target, repeated (3 times by default, interleaved): p50 at c=1, throughput and p99 at
c=16, and CPU per request of the server process (its process tree: user + system time delta
over the requests of that repeat). Then async jobs: Atelier on PostgreSQL + Redis with one,
then two ``atelier worker`` processes (``ATELIER_JOBS__RUN_IN_SERVER=false``) draining a burst
of ``POST /v1/generations`` (202) until every job succeeded, beside taskiq's own Redis stream
broker with two worker processes running a no-op task (until every result is stored).

Prints min/median/max over the repeats and the ratios the issue sets as targets. Every
process it starts is stopped at the end, also on failure; everything listens on 127.0.0.1.

Usage: ``bash bench/peers.sh`` once, then ``python bench/bench_gateway.py [--quick]``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import io
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS_VENV = Path(os.environ.get("BENCH_PEERS_VENV", str(HERE / ".peers-venv")))
PG_ADMIN_DSN = os.environ.get("BENCH_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/test")
PG_BASE = os.environ.get("BENCH_PG_BASE", "postgresql+asyncpg://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
HOST = "127.0.0.1"
MODEL = "dall-e-2"
UPSTREAM_KEY = "sk-bench-upstream"
LITELLM_KEY = "sk-bench-litellm"
BODY = {"model": MODEL, "prompt": "a small red square", "n": 1, "size": "256x256", "response_format": "b64_json"}
JOB_BODY = {"model": MODEL, "prompt": "a small red square", "n": 1, "size": "256x256"}
#: A model the fake upstream answers after PROVIDER_SECONDS, as a real provider takes its time:
#: jobs then wait on the provider, and more workers drain a burst faster (issue 11, item 5).
SLOW_MODEL = "dall-e-2-slow"
PROVIDER_SECONDS = 0.2
CONCURRENCY = 16
DEADLINE = time.monotonic() + 15 * 60  # a hard stop for every loop, whatever the counts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def check_deadline() -> None:
    if time.monotonic() > DEADLINE:
        raise TimeoutError("benchmark ran past its 15-minute bound")


# ---------------------------------------------------------------- the fake upstream


def upstream_payload() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 30, 30)).save(buffer, format="PNG")
    b64 = base64.b64encode(buffer.getvalue()).decode()
    return json.dumps({"created": int(time.time()), "data": [{"b64_json": b64}]}).encode()


def serve_upstream(port: int) -> None:
    """The fake OpenAI-compatible upstream: a raw ASGI app, no framework, answers at once."""
    import uvicorn

    payload = upstream_payload()
    ok_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    missing = b'{"error": {"message": "not found", "type": "invalid_request_error"}}'

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        more, body = True, b""
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if SLOW_MODEL.encode() in body:
            await asyncio.sleep(PROVIDER_SECONDS)
        if scope["method"] == "POST" and scope["path"].endswith("/images/generations"):
            await send({"type": "http.response.start", "status": 200, "headers": ok_headers})
            await send({"type": "http.response.body", "body": payload})
        else:
            await send(
                {"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"application/json")]}
            )
            await send({"type": "http.response.body", "body": missing})

    uvicorn.run(app, host=HOST, port=port, log_level="warning", access_log=False)


# ---------------------------------------------------------------- processes


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its descendants (psutil when present, else /proc)."""
    try:
        import psutil  # type: ignore[import-untyped]
    except ImportError:
        psutil = None
    total = 0.0
    for each in _descendants(pid):
        if psutil is not None:
            with contextlib.suppress(psutil.Error):
                times = psutil.Process(each).cpu_times()
                total += times.user + times.system
            continue
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@dataclass
class Procs:
    """Every process the bench starts, each in its own session, stopped in reverse order."""

    log_dir: Path
    items: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)

    def start(
        self, name: str, argv: list[str], env: dict[str, str], cwd: Path | None = None
    ) -> subprocess.Popen[bytes]:
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.items.append((name, proc))
        return proc

    def log_tail(self, name: str, lines: int = 15) -> str:
        path = self.log_dir / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        else:  # the leader is gone; its group may not be
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        self.items = [(n, p) for n, p in self.items if p is not proc]

    def stop_all(self) -> None:
        for _, proc in reversed(list(self.items)):
            self.stop(proc)


def wait_http(procs: Procs, name: str, proc: subprocess.Popen[bytes], url: str, timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}:\n{procs.log_tail(name)}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.25)
    raise RuntimeError(f"{name} not ready at {url} after {timeout:.0f} s:\n{procs.log_tail(name)}")


# ---------------------------------------------------------------- Atelier


def atelier_env(
    data_dir: Path, upstream: str, database_url: str | None, namespace: str | None, run_in_server: bool
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    routes = {
        "providers": {
            "bench-upstream": {
                "kind": "openai_compatible",
                "api_key_env": "BENCH_UPSTREAM_KEY",
                "base_url": f"{upstream}/v1",
                "timeout": 30,
            }
        },
        "routes": {
            MODEL: [{"provider": "bench-upstream", "model": MODEL, "prices": 0.0}],
            SLOW_MODEL: [{"provider": "bench-upstream", "model": SLOW_MODEL, "prices": 0.0}],
        },
    }
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            "BENCH_UPSTREAM_KEY": UPSTREAM_KEY,
            "ATELIER_DATA_DIR": str(data_dir),
            "ATELIER_LOG__LEVEL": "WARNING",
            "ATELIER_ENGINES__ROUTES_JSON": json.dumps(routes),
            "ATELIER_FETCH__ALLOW_PRIVATE": json.dumps([HOST]),
            "ATELIER_LIMITS__PER_KEY": "10000000/minute",
            "ATELIER_LIMITS__PER_ORGANIZATION": "10000000/minute",
            "ATELIER_JOBS__RUN_IN_SERVER": "true" if run_in_server else "false",
        }
    )
    if database_url:
        env["ATELIER_DATABASE_URL"] = database_url
        env["ATELIER_REDIS_URL"] = REDIS_URL
        env["ATELIER_REDIS_NAMESPACE"] = namespace or f"bench-{secrets.token_hex(4)}"
    return env


def atelier_cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "atelier.cli", *args]


@dataclass
class Atelier:
    url: str
    key: str
    proc: subprocess.Popen[bytes]
    env: dict[str, str]


def start_atelier(
    procs: Procs, name: str, tmp: Path, upstream: str, database_url: str | None, run_in_server: bool = True
) -> Atelier:
    data_dir = tmp / name
    data_dir.mkdir()
    env = atelier_env(data_dir, upstream, database_url, f"bench-{name}-{secrets.token_hex(3)}", run_in_server)
    port = free_port()
    proc = procs.start(name, atelier_cli("serve", "--host", HOST, "--port", str(port)), env)
    url = f"http://{HOST}:{port}"
    wait_http(procs, name, proc, f"{url}/health")
    email = f"bench-{secrets.token_hex(3)}@example.com"
    subprocess.run(
        atelier_cli("users", "create", "--email", email, "--admin", "--password", "bench password 1"),
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    minted = subprocess.run(
        atelier_cli("keys", "create", "--email", email, "--name", "bench"),
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
        text=True,
    )
    key = minted.stdout.strip().splitlines()[-1].strip()
    return Atelier(url=url, key=key, proc=proc, env=env)


# ---------------------------------------------------------------- PostgreSQL and Redis


async def _pg(statement: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(PG_ADMIN_DSN, timeout=10)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@contextlib.contextmanager
def fresh_database(label: str) -> Iterator[str]:
    name = f"atelier_bench_{label}_{secrets.token_hex(3)}"
    asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_BASE}/{name}"
    finally:
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def redis_cleanup(prefixes: list[str]) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        for prefix in prefixes:
            batch = list(client.scan_iter(match=f"{prefix}*", count=1000))
            for start in range(0, len(batch), 500):
                client.delete(*batch[start : start + 500])
    finally:
        client.close()


def scale_out_available() -> str | None:
    """None when PostgreSQL and Redis answer, else why not."""
    try:
        asyncio.run(_pg("SELECT 1"))
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except Exception as exc:  # any failure means: skip the scale-out targets, say why
        return f"{type(exc).__name__}: {exc}"
    return None


# ---------------------------------------------------------------- load


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _check(response: httpx.Response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.url} answered {response.status_code}: {response.text[:300]}")
    data = response.json().get("data") or []
    if not data or not data[0].get("b64_json"):
        raise RuntimeError(f"{response.request.url} answered without b64_json: {response.text[:300]}")


async def _one(client: httpx.AsyncClient, url: str) -> float:
    started = time.perf_counter()
    response = await client.post(url, json=BODY)
    elapsed = time.perf_counter() - started
    _check(response)
    return elapsed


@dataclass
class Sample:
    p50_c1: float
    rps_c16: float
    p50_c16: float
    p99_c16: float
    cpu_ms: float


async def measure(url: str, headers: dict[str, str], pid: int, n1: int, n16: int, warmup: int) -> Sample:
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=120) as client:
        for _ in range(warmup):
            await _one(client, url)
        cpu_before = cpu_seconds(pid)
        sequential = []
        for _ in range(n1):
            check_deadline()
            sequential.append(await _one(client, url))
        remaining = n16
        concurrent: list[float] = []

        async def runner() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                check_deadline()
                concurrent.append(await _one(client, url))

        started = time.perf_counter()
        await asyncio.gather(*(runner() for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - started
        cpu_ms = (cpu_seconds(pid) - cpu_before) * 1000 / (n1 + n16)
    return Sample(
        p50_c1=statistics.median(sequential) * 1000,
        rps_c16=n16 / elapsed,
        p50_c16=statistics.median(concurrent) * 1000,
        p99_c16=pct(concurrent, 0.99) * 1000,
        cpu_ms=cpu_ms,
    )


# ---------------------------------------------------------------- async jobs


async def atelier_burst(atelier: Atelier, jobs: int, model: str = MODEL) -> float:
    """Submit ``jobs`` generations (16 at a time), then wait until every one succeeded."""
    headers = {"Authorization": f"Bearer {atelier.key}"}
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=atelier.url, headers=headers, limits=limits, timeout=60) as client:
        ids: list[str] = []
        todo = jobs

        async def submit() -> None:
            nonlocal todo
            while todo > 0:
                todo -= 1
                response = await client.post("/v1/generations", json={**JOB_BODY, "model": model})
                if response.status_code != 202:
                    raise RuntimeError(f"POST /v1/generations answered {response.status_code}: {response.text[:300]}")
                ids.append(response.json()["id"])

        started = time.perf_counter()
        await asyncio.gather(*(submit() for _ in range(CONCURRENCY)))
        # Oldest first: while the oldest pending job is not done, wait a little (a light poll).
        for job_id in ids:
            while True:
                check_deadline()
                job = (await client.get(f"/v1/generations/{job_id}")).json()
                if job["status"] == "succeeded":
                    break
                if job["status"] in {"failed", "canceled"}:
                    raise RuntimeError(f"job {job_id} ended {job['status']}: {job.get('error')}")
                await asyncio.sleep(0.05)
        return jobs / (time.perf_counter() - started)


TASKIQ_APP = textwrap.dedent(
    '''
    """taskiq's own Redis stream broker with a no-op task (the bench's peer)."""
    import asyncio
    import json
    import os
    import sys
    import time

    from taskiq_redis import RedisAsyncResultBackend, RedisStreamBroker

    URL = os.environ["BENCH_REDIS_URL"]
    PREFIX = os.environ["BENCH_TASKIQ_PREFIX"]
    broker = RedisStreamBroker(
        url=URL, queue_name=f"{PREFIX}:stream", consumer_group_name=f"{PREFIX}:group"
    ).with_result_backend(
        RedisAsyncResultBackend(redis_url=URL, prefix_str=f"{PREFIX}:result", result_ex_time=900)
    )


    @broker.task(task_name="bench_noop")
    async def noop() -> None:
        return None


    async def burst(count: int) -> float:
        from redis.asyncio import Redis

        await broker.startup()
        redis = Redis.from_url(URL)
        try:
            started = time.perf_counter()
            sent = []
            for start in range(0, count, 100):
                sent += await asyncio.gather(*(noop.kiq() for _ in range(min(100, count - start))))
            keys = [f"{PREFIX}:result:{task.task_id}" for task in sent]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                done = 0
                for start in range(0, len(keys), 1000):
                    done += await redis.exists(*keys[start : start + 1000])
                if done == count:
                    return count / (time.perf_counter() - started)
                await asyncio.sleep(0.01)
            raise TimeoutError(f"{count - done} of {count} taskiq tasks not done after 120 s")
        finally:
            await redis.aclose()
            await broker.shutdown()


    if __name__ == "__main__":
        print(json.dumps({"rate": asyncio.run(burst(int(sys.argv[1])))}))
    '''
)


# ---------------------------------------------------------------- the run


def summarize(values: list[float]) -> str:
    return f"{min(values):8.1f} {statistics.median(values):8.1f} {max(values):8.1f}"


def ratio_line(label: str, a: list[float], b: list[float]) -> str:
    per_repeat = [x / y for x, y in zip(a, b, strict=True) if y]
    if not per_repeat or not statistics.median(b):
        return f"  {label:<44}     n/a   (a zero in the denominator: below the clock's resolution)"
    ratio = statistics.median(a) / statistics.median(b)
    return f"  {label:<44} {ratio:7.2f}   (per repeat {min(per_repeat):.2f}–{max(per_repeat):.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke: 1 repeat, few requests")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--serve-upstream", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_upstream:
        serve_upstream(args.serve_upstream)
        return 0
    repeats = args.repeats or (1 if args.quick else 3)
    n1, n16, warmup = (15, 48, 3) if args.quick else (60, 320, 10)
    jobs, tasks = (40, 200) if args.quick else (200, 2000)

    tmp = Path(tempfile.mkdtemp(prefix="bench-gateway-"))
    procs = Procs(log_dir=tmp)
    notes: list[str] = []
    redis_prefixes: list[str] = []
    stack = contextlib.ExitStack()
    finished = False
    try:
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
        up_port = free_port()
        upstream = f"http://{HOST}:{up_port}"
        up_proc = procs.start(
            "upstream", [sys.executable, str(Path(__file__).resolve()), "--serve-upstream", str(up_port)], base_env
        )
        wait_http(procs, "upstream", up_proc, f"{upstream}/health")

        targets: dict[str, tuple[str, dict[str, str], int]] = {}
        targets["upstream (direct)"] = (
            f"{upstream}/v1/images/generations",
            {"Authorization": f"Bearer {UPSTREAM_KEY}"},
            up_proc.pid,
        )

        sqlite = start_atelier(procs, "atelier-sqlite", tmp, upstream, None)
        targets["atelier sqlite"] = (
            f"{sqlite.url}/v1/images/generations",
            {"Authorization": f"Bearer {sqlite.key}"},
            sqlite.proc.pid,
        )

        why_not_pg = scale_out_available()
        if why_not_pg is None:
            pg_url = stack.enter_context(fresh_database("sync"))
            pg = start_atelier(procs, "atelier-pg", tmp, upstream, pg_url)
            redis_prefixes.append(pg.env["ATELIER_REDIS_NAMESPACE"])
            targets["atelier postgres+redis"] = (
                f"{pg.url}/v1/images/generations",
                {"Authorization": f"Bearer {pg.key}"},
                pg.proc.pid,
            )
        else:
            notes.append(f"PostgreSQL + Redis not reachable ({why_not_pg}): no scale-out targets")

        litellm_bin = PEERS_VENV / "bin" / "litellm"
        if litellm_bin.exists():
            config = tmp / "litellm.yaml"
            config.write_text(
                json.dumps(  # JSON is YAML
                    {
                        "model_list": [
                            {
                                "model_name": MODEL,
                                "litellm_params": {
                                    "model": f"openai/{MODEL}",
                                    "api_base": f"{upstream}/v1",
                                    "api_key": UPSTREAM_KEY,
                                },
                            }
                        ],
                        "general_settings": {"master_key": LITELLM_KEY},
                    }
                )
            )
            lite_port = free_port()
            lite_env = {k: v for k, v in base_env.items() if k not in {"DATABASE_URL", "PYTHONPATH"}}
            lite_env.update(LITELLM_MASTER_KEY=LITELLM_KEY, LITELLM_LOCAL_MODEL_COST_MAP="True", LITELLM_LOG="ERROR")
            lite = procs.start(
                "litellm",
                [
                    str(litellm_bin),
                    "--config",
                    str(config),
                    "--host",
                    HOST,
                    "--port",
                    str(lite_port),
                    "--num_workers",
                    "1",
                ],
                lite_env,
            )
            try:
                wait_http(procs, "litellm", lite, f"http://{HOST}:{lite_port}/health/liveliness", timeout=180)
                targets["litellm proxy"] = (
                    f"http://{HOST}:{lite_port}/v1/images/generations",
                    {"Authorization": f"Bearer {LITELLM_KEY}"},
                    lite.pid,
                )
            except RuntimeError as exc:
                notes.append(f"LiteLLM's proxy did not start, compared with the bare upstream only: {exc}")
                procs.stop(lite)
        else:
            notes.append(
                f"LiteLLM's proxy is not installed ({litellm_bin} missing: run bash bench/peers.sh); "
                "compared with the bare upstream only"
            )

        samples: dict[str, list[Sample]] = {name: [] for name in targets}
        for repeat in range(repeats):
            for name, (url, headers, pid) in targets.items():
                print(f"  repeat {repeat + 1}/{repeats}: {name} …", file=sys.stderr, flush=True)
                samples[name].append(asyncio.run(measure(url, headers, pid, n1, n16, warmup)))

        # Free the CPU before the async part: only the upstream stays.
        for name in ("litellm", "atelier-pg", "atelier-sqlite"):
            for proc_name, proc in list(procs.items):
                if proc_name == name:
                    procs.stop(proc)

        atelier_rates: list[float] = []
        one_worker_rates: list[float] = []
        slow_rates: list[float] = []
        slow_one_worker_rates: list[float] = []
        slow_jobs = jobs // 2
        taskiq_rates: list[float] = []
        if why_not_pg is None:
            jobs_url = stack.enter_context(fresh_database("jobs"))
            server = start_atelier(procs, "atelier-jobs", tmp, upstream, jobs_url, run_in_server=False)
            redis_prefixes.append(server.env["ATELIER_REDIS_NAMESPACE"])
            procs.start("atelier-worker-0", atelier_cli("worker"), server.env)
            taskiq_python = PEERS_VENV / "bin" / "python"
            taskiq_ok = (PEERS_VENV / "bin" / "taskiq").exists()
            taskiq_env = dict(base_env)
            if taskiq_ok:
                prefix = f"bench-taskiq-{secrets.token_hex(3)}"
                redis_prefixes.append(prefix)
                (tmp / "bench_taskiq_app.py").write_text(TASKIQ_APP)
                taskiq_env.update(BENCH_REDIS_URL=REDIS_URL, BENCH_TASKIQ_PREFIX=prefix, PYTHONPATH=str(tmp))
                procs.start(
                    "taskiq-workers",
                    [str(PEERS_VENV / "bin" / "taskiq"), "worker", "bench_taskiq_app:broker", "--workers", "2"],
                    taskiq_env,
                    cwd=tmp,
                )
            else:
                notes.append("taskiq is not installed in the peers venv (run bash bench/peers.sh): no async peer")
            time.sleep(4)  # both sets of workers connected and reading their streams
            for repeat in range(repeats):  # one worker first: does a second one add throughput?
                print(f"  repeat {repeat + 1}/{repeats}: async jobs, 1 worker …", file=sys.stderr, flush=True)
                one_worker_rates.append(asyncio.run(atelier_burst(server, jobs)))
                slow_one_worker_rates.append(asyncio.run(atelier_burst(server, slow_jobs, SLOW_MODEL)))
            procs.start("atelier-worker-1", atelier_cli("worker"), server.env)
            time.sleep(3)
            for repeat in range(repeats):
                slow_rates.append(asyncio.run(atelier_burst(server, slow_jobs, SLOW_MODEL)))
                print(f"  repeat {repeat + 1}/{repeats}: async jobs …", file=sys.stderr, flush=True)
                atelier_rates.append(asyncio.run(atelier_burst(server, jobs)))
                if taskiq_ok:
                    done = subprocess.run(
                        [str(taskiq_python), str(tmp / "bench_taskiq_app.py"), str(tasks)],
                        env=taskiq_env,
                        cwd=tmp,
                        capture_output=True,
                        text=True,
                        timeout=150,
                        check=False,
                    )
                    if done.returncode != 0:
                        raise RuntimeError(f"taskiq burst failed: {done.stderr[-1500:]}")
                    taskiq_rates.append(json.loads(done.stdout.strip().splitlines()[-1])["rate"])
                    check_deadline()

        # ------------------------------------------------------------ the table
        print(f"\nbench_gateway — {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} CPUs, {repeats} repeat(s)")
        print(f"POST /v1/images/generations {json.dumps(BODY)}; upstream answers a 256² PNG at once")
        print(
            f"c=1: {n1} sequential requests; c=16: {n16} requests, 16 concurrent; "
            f"httpx keep-alive; after {warmup} warm-up"
        )
        print("CPU/request: user+system of the server's process tree over those requests / their count")
        print("                          min/median/max over the repeats")
        print(
            f"{'target':<24} {'c=1 p50 ms':>26} {'c=16 req/s':>26} {'c=16 p50 ms':>26} "
            f"{'c=16 p99 ms':>26} {'CPU ms/req':>26}"
        )
        for name, rows in samples.items():
            print(
                f"{name:<24} {summarize([s.p50_c1 for s in rows])} {summarize([s.rps_c16 for s in rows])} "
                f"{summarize([s.p50_c16 for s in rows])} {summarize([s.p99_c16 for s in rows])} "
                f"{summarize([s.cpu_ms for s in rows])}"
            )
        lite_rows = samples.get("litellm proxy")
        up_rows = samples["upstream (direct)"]
        print("\nratios (median of the repeats; per-repeat range in brackets)")
        for name in ("atelier sqlite", "atelier postgres+redis"):
            rows = samples.get(name)
            if not rows:
                continue
            for peer_label, peer in (("LiteLLM", lite_rows), ("upstream", up_rows)):
                if not peer:
                    continue
                print(ratio_line(f"{name}/{peer_label} c=1 p50", [s.p50_c1 for s in rows], [s.p50_c1 for s in peer]))
                print(
                    ratio_line(f"{name}/{peer_label} c=16 req/s", [s.rps_c16 for s in rows], [s.rps_c16 for s in peer])
                )
                if peer is lite_rows:  # the bare upstream's CPU/request is near the clock's resolution
                    print(
                        ratio_line(f"{name}/{peer_label} CPU/req", [s.cpu_ms for s in rows], [s.cpu_ms for s in peer])
                    )
            print(ratio_line(f"{name} c=16 p99/p50", [s.p99_c16 for s in rows], [s.p50_c16 for s in rows]))
        if atelier_rates:
            print(
                f"\nasync jobs, {jobs} × POST /v1/generations (202) → all succeeded; "
                "PostgreSQL + Redis, 2 `atelier worker` (default concurrency)"
            )
            print(f"  atelier jobs/s      {summarize(atelier_rates)}")
            if one_worker_rates:
                print(f"  1 worker jobs/s     {summarize(one_worker_rates)}")
                print(ratio_line("2 workers/1 worker", atelier_rates, one_worker_rates))
            if slow_rates:
                print(
                    f"  the same with a provider answering in {PROVIDER_SECONDS * 1000:.0f} ms "
                    f"({slow_jobs} jobs, model {SLOW_MODEL}):"
                )
                print(f"  2 workers jobs/s    {summarize(slow_rates)}")
                print(f"  1 worker jobs/s     {summarize(slow_one_worker_rates)}")
                print(ratio_line("2 workers/1 worker (slow provider)", slow_rates, slow_one_worker_rates))
            if taskiq_rates:
                print(
                    f"  taskiq tasks/s      {summarize(taskiq_rates)}   ({tasks} no-op tasks, RedisStreamBroker, "
                    "taskiq worker --workers 2, until every result stored)"
                )
                print(ratio_line("atelier/taskiq", atelier_rates, taskiq_rates))

        print("\nissue #11 targets (this run; medians of the repeats)")
        med = statistics.median
        checks: list[tuple[str, bool]] = []
        for name in ("atelier sqlite", "atelier postgres+redis"):
            rows = samples.get(name)
            if not rows:
                continue
            if lite_rows:
                rps, lite_rps = med([s.rps_c16 for s in rows]), med([s.rps_c16 for s in lite_rows])
                p50, lite_p50 = med([s.p50_c1 for s in rows]), med([s.p50_c1 for s in lite_rows])
                checks.append((f"{name}: c=16 req/s ≥ LiteLLM's ({rps:.1f} vs {lite_rps:.1f})", rps >= lite_rps))
                checks.append((f"{name}: c=1 p50 ≤ LiteLLM's ({p50:.1f} vs {lite_p50:.1f} ms)", p50 <= lite_p50))
            p99, p50_16 = med([s.p99_c16 for s in rows]), med([s.p50_c16 for s in rows])
            checks.append((f"{name}: c=16 p99 ≤ 3 × c=16 p50 ({p99:.0f} vs 3 × {p50_16:.0f} ms)", p99 <= 3 * p50_16))
            cpu = med([s.cpu_ms for s in rows])
            checks.append((f"{name}: CPU/request ≤ 10 ms ({cpu:.1f} ms)", cpu <= 10))
        if atelier_rates and taskiq_rates:
            rate, peer_rate = med(atelier_rates), med(taskiq_rates)
            checks.append(
                (f"async jobs ≥ 0.25 × taskiq ({rate:.1f} vs 0.25 × {peer_rate:.0f} /s)", rate >= 0.25 * peer_rate)
            )
        for label, met in checks:
            print(f"  {'met    ' if met else 'NOT met'}  {label}")
        for note in notes:
            print(f"note: {note}")
        finished = True
        return 0
    except Exception:
        print(f"logs kept in {tmp}", file=sys.stderr)
        raise
    finally:
        procs.stop_all()
        with contextlib.suppress(Exception):
            redis_cleanup(redis_prefixes)
        stack.close()
        if finished:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
