"""The ``atelier`` command."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import typer
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.accounts.models import Role, User
from atelier.organizations.cli import orgs_app
from atelier.settings import Settings

app = typer.Typer(help="Atelier: self-hosted design and image generation.", no_args_is_help=True)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")
app.add_typer(orgs_app, name="orgs")
console = Console()
err = Console(stderr=True)


def fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}", soft_wrap=True)
    raise typer.Exit(1)


def load_settings() -> Settings:
    """Settings from the environment; a bad value is one clear line per problem, naming the
    variable, and a non-zero exit (never a traceback)."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = "__".join(str(part) for part in error["loc"] if not isinstance(part, int))
            name = f"ATELIER_{where.upper()}" if where else "settings"
            problems.append(f"{name}: {error['msg'].removeprefix('Value error, ')}")
        fail("invalid settings — " + "; ".join(problems))
        raise  # unreachable: fail exits


def check_database(settings: Settings) -> None:
    """One clear line and a non-zero exit when the database cannot be reached or migrated."""
    from atelier.kit.db import create_engine
    from atelier.migrations.runner import upgrade

    async def _go() -> None:
        settings.prepare_data_dir()
        engine = create_engine(settings.resolved_database_url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    try:
        asyncio.run(_go())
    except Exception as exc:
        safe_url = settings.resolved_database_url.split("@")[-1]
        fail(f"cannot reach or migrate the database at {safe_url}: {type(exc).__name__}: {exc}".splitlines()[0])


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Bind address (default from settings: 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default from settings: 8000)."),
    workers: int | None = typer.Option(None, help="Worker processes."),
) -> None:
    """Run the API server (embedded default: SQLite, local storage, in-process jobs)."""
    import uvicorn

    settings = load_settings()
    check_database(settings)
    host, port = host or settings.server.host, port or settings.server.port
    console.print(f"Atelier on http://{host}:{port} (docs at /docs, data in {settings.data_dir.resolve()})")
    processes = workers or settings.server.workers
    if processes > 1:  # uvicorn's supervisor builds each worker's server itself
        from atelier.monitoring.prometheus import prepare_multiprocess

        prepare_multiprocess(settings.data_dir, processes)  # the workers' /metrics sum every worker's counters
        uvicorn.run("atelier.asgi:app", host=host, port=port, workers=processes, log_level="warning")
        return
    from uvicorn.config import STARTUP_FAILURE

    from atelier.asgi import app as asgi_app
    from atelier.kit.serving import Server

    # Atelier's server ends open WebSockets and event streams as soon as SIGTERM arrives.
    server = Server(uvicorn.Config(asgi_app, host=host, port=port, log_level="warning"), freeze=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)


@app.command()
def worker(
    concurrency: int | None = typer.Option(None, help="Jobs run at once (default from settings: 4)."),
) -> None:
    """Run jobs: from the Redis stream when ATELIER_REDIS_URL is set, else those queued in the database."""
    from atelier.jobs.worker import run_worker

    settings = load_settings()
    if concurrency is not None:
        settings.jobs.concurrency = concurrency
    check_database(settings)
    mode = "the Redis stream" if settings.redis_url else "the database"
    console.print(f"Atelier worker: up to {settings.jobs.concurrency} jobs at once from {mode} (Ctrl-C stops)")
    asyncio.run(run_worker(settings, freeze=True))


@app.command()
def generate(
    prompt: str = typer.Argument(..., help="What to make."),
    n: int = typer.Option(1, "-n", "--n", help="How many images (1-10)."),
    size: str = typer.Option("1024x1024", help="WIDTHxHEIGHT."),
    model: str = typer.Option("atelier-design", help="Model name (GET /v1/models lists them)."),
    fmt: str = typer.Option("png", "--format", help="png, jpeg or webp."),
    seed: int | None = typer.Option(None, help="Seed, for repeatable results."),
    project: str | None = typer.Option(None, help="Project id (default: your default project)."),
    out: Path = typer.Option(Path("."), "-o", "--out", help="Folder the images are written to."),
    server: str | None = typer.Option(None, help="Server URL; unset: run here on the embedded default."),
    key: str | None = typer.Option(None, envvar="ATELIER_KEY", help="API key for --server (or ATELIER_KEY)."),
    user: str | None = typer.Option(None, help="Without --server: the account to generate as (default: an admin)."),
) -> None:
    """Generate images and write them to a folder, with a progress bar."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn

    from atelier.jobs.cli_client import CliRequest, generate_embedded, generate_remote
    from atelier.kit.errors import AtelierError

    request = CliRequest(prompt=prompt, n=n, size=size, model=model, format=fmt, seed=seed, project=project)
    settings = load_settings()
    if server is None:
        check_database(settings)
    elif not key:
        fail("--server needs --key (or ATELIER_KEY)")
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task("queued", total=100)

        def on_progress(fraction: float, status: str) -> None:
            progress.update(task, completed=round(fraction * 100), description=status)

        try:
            if server is None:
                paths = asyncio.run(generate_embedded(settings, request, out, on_progress, user_email=user))
            else:
                paths = asyncio.run(generate_remote(server, key or "", request, out, on_progress))
        except AtelierError as exc:
            progress.stop()
            fail(exc.message)
        except httpx.HTTPError as exc:
            progress.stop()
            fail(f"cannot reach {server}: {type(exc).__name__}: {exc}")
        progress.update(task, completed=100, description="done")
    for path in paths:
        print(path)


@app.command()
def verify(
    file: Path = typer.Argument(..., help="Any file: an Atelier image or anyone else's."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole report (manifest store included) as JSON."),
) -> None:
    """Check a file's Content Credentials (C2PA): manifest summary and validation. Exits 0 when a
    manifest is present and valid (an untrusted signer included), 1 otherwise."""
    import json

    from atelier.provenance.verify import describe
    from atelier.provenance.verify import verify as read_credentials

    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}")
    report = read_credentials(data)
    if as_json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        for line in describe(report):
            console.print(line, soft_wrap=True, highlight=False, markup=False)
    raise typer.Exit(0 if report.valid else 1)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""
    settings = load_settings()
    check_database(settings)
    console.print("database is up to date")


async def _create_user(settings: Settings, email: str, password: str, full_name: str | None, admin: bool) -> str:
    from atelier.accounts.service import create_user
    from atelier.kit.db import session_scope
    from atelier.kit.runtime import Runtime

    runtime = Runtime.build(settings)
    try:
        async with session_scope(runtime.sessions) as session:
            user = await create_user(
                session, settings, email=email, password=password, full_name=full_name, admin=admin or None
            )
            return f"{user.id} {user.email} role={user.role}"
    finally:
        await runtime.close()


@users_app.command("create")
def users_create(
    email: str = typer.Option(..., help="Email address (the login)."),
    password: str | None = typer.Option(None, help="Password; prompted for when omitted."),
    full_name: str | None = typer.Option(None, help="Display name."),
    admin: bool = typer.Option(False, "--admin", help="Make the user an administrator."),
) -> None:
    """Create a user account (the first one on a fresh install is always an admin)."""
    from atelier.kit.errors import AtelierError

    settings = load_settings()
    check_database(settings)
    if password is None:
        password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().strip()
    if len(password) < 8:
        fail("password must be at least 8 characters")
    try:
        console.print(asyncio.run(_create_user(settings, email, password, full_name, admin)))
    except AtelierError as exc:
        fail(exc.message)


async def _for_user(settings: Settings, email: str, action: Callable[[AsyncSession, User], Awaitable[str]]) -> str:
    """Run ``action`` on the user with this email in one committed session."""
    from atelier.accounts.repository import UserRepository
    from atelier.kit.db import session_scope
    from atelier.kit.errors import NotFound
    from atelier.kit.runtime import Runtime

    runtime = Runtime.build(settings)
    try:
        async with session_scope(runtime.sessions) as session:
            user = await UserRepository(session).by_email(email)
            if user is None:
                raise NotFound(f"no user with email {email}")
            return await action(session, user)
    finally:
        await runtime.close()


def _run_on_user(email: str, action: Callable[[AsyncSession, User], Awaitable[str]]) -> str:
    """Settings, database check, then ``action`` on the user; refusals are one clear line."""
    from atelier.kit.errors import AtelierError

    settings = load_settings()
    check_database(settings)
    try:
        return asyncio.run(_for_user(settings, email, action))
    except AtelierError as exc:
        fail(exc.message)
        raise  # unreachable: fail exits


@users_app.command("set-role")
def users_set_role(
    email: str = typer.Option(..., help="The user's email."),
    role: Role = typer.Option(..., help="The new role."),
) -> None:
    """Make a user an admin or a member (recorded in the audit log as a role change)."""
    from atelier.accounts.service import set_role

    async def change(session: AsyncSession, user: User) -> str:
        previous = user.role
        await set_role(session, user, role, actor=None, via="cli")
        change = f"{previous} -> {user.role}" if previous != user.role else f"unchanged ({user.role})"
        return f"{user.id} {user.email} role: {change}"

    console.print(_run_on_user(email, change))


@users_app.command("set-active")
def users_set_active(
    email: str = typer.Option(..., help="The user's email."),
    active: bool = typer.Option(..., "--active/--disabled", help="Enable or disable the account."),
) -> None:
    """Enable or disable an account; disabling ends its sessions and stops its keys at once."""
    from atelier.accounts.service import set_active

    async def change(session: AsyncSession, user: User) -> str:
        await set_active(session, user, active, actor=None, via="cli")
        return f"{user.id} {user.email} {'active' if user.is_active else 'disabled'}"

    console.print(_run_on_user(email, change))


@keys_app.command("create")
def keys_create(
    email: str = typer.Option(..., help="Owner's email."),
    name: str = typer.Option("cli", help="A name to recognise the key by."),
) -> None:
    """Create an API key for a user and print it once."""
    from atelier.keys.service import create_key

    async def mint(session: AsyncSession, user: User) -> str:
        _, secret = await create_key(session, user, name=name)
        return secret

    secret = _run_on_user(email, mint)
    err.print("Store this key now; it is not shown again:")
    print(secret)


if __name__ == "__main__":
    app()
