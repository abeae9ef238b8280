from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.audit.models import AuditEvent
from atelier.kit.db import create_engine
from tests.helpers.live import free_port

ATELIER = [sys.executable, "-m", "atelier.cli"]


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(ATELIER + args, env=env, input=stdin, capture_output=True, text=True, timeout=120)


def cli_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    env.update({"ATELIER_DATA_DIR": str(tmp_path / "cli-data"), "ATELIER_DATABASE_URL": database_url})
    return env


def test_every_command_has_help(tmp_path: Path, database_url: str) -> None:
    env = cli_env(tmp_path, database_url)
    for command in ([], ["serve"], ["db", "upgrade"], ["users", "create"], ["users", "set-role"], ["keys", "create"]):
        result = run([*command, "--help"], env)
        assert result.returncode == 0, result.stderr
        assert "Usage" in result.stdout


def test_users_and_keys_from_the_cli_work_over_http(tmp_path: Path, database_url: str) -> None:
    env = cli_env(tmp_path, database_url)
    assert run(["db", "upgrade"], env).returncode == 0
    created = run(["users", "create", "--email", "ops@example.com", "--admin"], env, stdin="s3cret-password\n")
    assert created.returncode == 0, created.stderr
    assert "role=admin" in created.stdout
    key_run = run(["keys", "create", "--email", "ops@example.com"], env)
    assert key_run.returncode == 0, key_run.stderr
    key = key_run.stdout.strip().splitlines()[-1]
    assert key.startswith("atl_")
    missing = run(["keys", "create", "--email", "nobody@example.com"], env)
    assert missing.returncode == 1 and "no user" in missing.stderr

    port = free_port()
    server = subprocess.Popen(
        [*ATELIER, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        me = httpx.get(f"{url}/v1/me", headers={"X-API-Key": key})
        assert me.status_code == 200 and me.json()["email"] == "ops@example.com"
        docs = httpx.get(f"{url}/docs")
        assert docs.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


async def _role_events(database_url: str) -> list[AuditEvent]:
    engine = create_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            rows = await session.scalars(select(AuditEvent).where(AuditEvent.action == "user.role_changed"))
            return list(rows)
    finally:
        await engine.dispose()


def test_users_set_role_changes_the_role_and_audits_it(tmp_path: Path, database_url: str) -> None:
    env = cli_env(tmp_path, database_url)
    first = run(["users", "create", "--email", "first@example.com"], env, stdin="s3cret-password\n")
    second = run(["users", "create", "--email", "second@example.com"], env, stdin="s3cret-password\n")
    assert "role=admin" in first.stdout and "role=member" in second.stdout, first.stderr + second.stderr

    promoted = run(["users", "set-role", "--email", "Second@example.com", "--role", "admin"], env)
    assert promoted.returncode == 0, promoted.stderr
    assert "second@example.com role: member -> admin" in promoted.stdout
    demoted = run(["users", "set-role", "--email", "first@example.com", "--role", "member"], env)
    assert demoted.returncode == 0 and "admin -> member" in demoted.stdout, demoted.stderr
    # the only admin left cannot be demoted
    last = run(["users", "set-role", "--email", "second@example.com", "--role", "member"], env)
    assert last.returncode == 1 and "only admin" in last.stderr
    unknown = run(["users", "set-role", "--email", "nobody@example.com", "--role", "admin"], env)
    assert unknown.returncode == 1 and "no user with email nobody@example.com" in unknown.stderr
    bad_role = run(["users", "set-role", "--email", "first@example.com", "--role", "owner"], env)
    assert bad_role.returncode == 2 and "owner" in bad_role.stderr

    events = asyncio.run(_role_events(database_url))
    changes = sorted((e.target or "", e.details["previous"], e.details["role"], e.details["via"]) for e in events)
    ids = {line.split()[0]: line.split()[1] for line in (first.stdout, second.stdout)}
    by_email = {email: user_id for user_id, email in ids.items()}
    assert changes == sorted(
        [
            (by_email["second@example.com"], "member", "admin", "cli"),
            (by_email["first@example.com"], "admin", "member", "cli"),
        ]
    )
    assert all(e.actor_id is None for e in events)


def test_unreachable_database_gives_one_clear_line(tmp_path: Path) -> None:
    env = cli_env(tmp_path, f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/nothing")
    for command in (["db", "upgrade"], ["serve", "--port", str(free_port())]):
        result = run(command, env)
        assert result.returncode == 1
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "cannot reach" in lines[0], result.stderr
        assert "Traceback" not in result.stderr


def test_bad_settings_give_one_clear_line_naming_the_variable(tmp_path: Path, database_url: str) -> None:
    cases = {
        "ATELIER_SERVER__PORT": ("eighty", "ATELIER_SERVER__PORT"),
        "ATELIER_DEFAULT_PLAN": ("gold", "unknown plan 'gold'"),
        "ATELIER_PLANS": ('{"pro": {"monthly_images": -3}}', "ATELIER_PLANS__PRO__MONTHLY_IMAGES"),
    }
    for variable, (value, named) in cases.items():
        for command in (["db", "upgrade"], ["serve", "--port", str(free_port())]):
            result = run(command, {**cli_env(tmp_path, database_url), variable: value})
            assert result.returncode == 1, (variable, result.stderr)
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert len(lines) == 1 and "invalid settings" in lines[0] and named in lines[0], result.stderr
            assert "Traceback" not in result.stderr


def test_first_run_in_an_empty_folder_uses_the_embedded_default(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    port = free_port()
    server = subprocess.Popen(
        [*ATELIER, "serve", "--port", str(port)], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        for _ in range(600):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        health = httpx.get(f"http://127.0.0.1:{port}/monitoring/health").json()
        assert health["status"] == "healthy", health
        assert (tmp_path / "atelier-data" / "atelier.db").is_file()
        assert (tmp_path / "atelier-data" / "secret.key").is_file()
    finally:
        server.terminate()
        server.wait(timeout=30)
