"""``atelier serve`` moves what its start-up built out of the garbage collector's scans;
a server built without ``freeze`` (every test's) leaves the collector as it was. Run in a
subprocess: what is frozen is never collected, so the test process itself is never frozen."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import asyncio, gc, socket, sys
    import uvicorn
    from atelier.kit.serving import Server

    built = []

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    built.extend([{"n": i}] for i in range(50_000))  # what a start-up keeps
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return

    async def main(freeze):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            server = Server(uvicorn.Config(app, log_level="warning", lifespan="on"), freeze=freeze)
            serving = asyncio.create_task(server.serve(sockets=[sock]))
            while not server.started:
                await asyncio.sleep(0.01)
            frozen = gc.get_freeze_count()
            server.should_exit = True
            await serving
        print(frozen)

    asyncio.run(main(sys.argv[1] == "freeze"))
    """
)


def _frozen(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def test_a_serving_process_freezes_what_its_start_up_built() -> None:
    assert _frozen("freeze") >= 50_000  # the 50,000 lists at least (their dicts of atoms are not tracked)


def test_a_server_built_without_freeze_leaves_the_collector_alone() -> None:
    assert _frozen("keep") == 0
