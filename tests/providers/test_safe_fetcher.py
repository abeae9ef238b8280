"""The safe fetcher: only public addresses (after DNS, on every redirect, pinned for the
connection), canonical IP spellings, size/time limits, real image decoding."""

from __future__ import annotations

import asyncio
import base64
import struct
import zlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from atelier.fetch.safe import FetchFailed, NotAnImage, SafeFetcher, UnsafeUrl
from tests.helpers.live import LiveServer
from tests.providers.fakes.base import png

HOSTS: list[str] = []


def origin_app() -> FastAPI:
    app = FastAPI()

    @app.get("/logo.png")
    async def logo(request: Request) -> Response:
        HOSTS.append(request.headers["host"])
        return Response(png(32, 16), media_type="image/png")

    @app.get("/redirect")
    async def redirect(to: str) -> Response:
        return RedirectResponse(to, status_code=302)

    @app.get("/big")
    async def big() -> Response:
        return Response(b"\0" * 300_000, media_type="application/octet-stream")

    @app.get("/slow")
    async def slow() -> Response:
        async def drip() -> Iterator[bytes]:  # type: ignore[misc]
            for _ in range(50):
                yield b"x"
                await asyncio.sleep(0.1)

        return StreamingResponse(drip())

    @app.get("/text")
    async def text() -> Response:
        return Response("hello", media_type="text/plain")

    @app.get("/bomb.png")
    async def bomb() -> Response:
        return Response(bomb_png(), media_type="image/png")

    return app


def bomb_png() -> bytes:
    """A tiny PNG whose header claims 30000x30000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def origin() -> Iterator[int]:
    server = LiveServer(origin_app())
    server.start()
    try:
        yield server.port
    finally:
        server.stop()


def fetcher_with(dns: dict[str, list[list[str]]], **kw: object) -> SafeFetcher:
    """A fetcher whose resolver answers from ``dns``: per host, one answer set per lookup
    (the last one repeats), so a test can play a rebinding DNS server."""

    async def resolve(host: str, port: int) -> list[str]:
        if host not in dns:
            raise OSError("NXDOMAIN")
        answers = dns[host]
        return answers.pop(0) if len(answers) > 1 else list(answers[0])

    return SafeFetcher(resolver=resolve, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.png",
        "http://[::1]/x.png",
        "http://10.0.0.1/x.png",
        "http://10.255.3.4:8080/x.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/x.png",
        "http://[fd00::1]/x.png",
        "http://100.64.0.1/x.png",
        "http://0.0.0.0/x.png",
        "http://[2002:7f00:1::]/x.png",
        "http://[64:ff9b::a00:1]/x.png",
    ],
)
async def test_private_and_special_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl) as caught:
        await fetcher_with({}).fetch_image(url)
    assert caught.value.status_code == 400 and "non-public" in caught.value.message


@pytest.mark.parametrize(
    "url", ["http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://127.1/", "http://017700000001/"]
)
async def test_decimal_octal_and_hex_spellings_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl) as caught:
        await fetcher_with({}).fetch_image(url)
    assert "non-canonical" in caught.value.message


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "gopher://x/", "ftp://example.com/a.png", "http://u:p@example.com/"]
)
async def test_only_plain_http_and_https(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        await fetcher_with({"example.com": [["93.184.216.34"]]}).fetch_image(url)


async def test_hostname_resolving_to_a_private_address_is_refused() -> None:
    fetcher = fetcher_with({"intranet.example": [["93.184.216.34", "10.1.2.3"]]})
    with pytest.raises(UnsafeUrl, match=r"10\.1\.2\.3"):
        await fetcher.fetch_image("https://intranet.example/logo.png")


async def test_public_url_redirecting_to_private_is_refused(origin: int) -> None:
    # "cdn.example" stands for a public host: it is allow-listed by name and resolves to the fake origin
    for target in (f"http://127.0.0.1:{origin}/logo.png", "http://metadata.example/latest", "http://[::1]/x"):
        fetcher = fetcher_with(
            {"cdn.example": [["127.0.0.1"]], "metadata.example": [["169.254.169.254"]]}, allow=["cdn.example"]
        )
        with pytest.raises(UnsafeUrl):
            await fetcher.fetch_image(f"http://cdn.example:{origin}/redirect?to={target}")


async def test_connects_to_the_checked_address_with_the_name_in_host(origin: int) -> None:
    # a rebinding resolver: the second answer would be private; only one lookup per hop is made
    fetcher = fetcher_with({"cdn.example": [["127.0.0.1"], ["10.9.9.9"]]}, allow=["cdn.example"])
    HOSTS.clear()
    data = await fetcher.fetch_image(f"http://cdn.example:{origin}/logo.png")
    assert data.startswith(b"\x89PNG") and [f"cdn.example:{origin}"] == HOSTS
    redirected = await fetcher_with({"cdn.example": [["127.0.0.1"]]}, allow=["cdn.example"]).fetch_image(
        f"http://cdn.example:{origin}/redirect?to=/logo.png"
    )
    assert redirected == data


async def test_allow_list_by_network(origin: int) -> None:
    fetcher = SafeFetcher(allow=["127.0.0.0/8"])
    assert (await fetcher.fetch_image(f"http://127.0.0.1:{origin}/logo.png")).startswith(b"\x89PNG")


async def test_size_time_and_content_limits(origin: int) -> None:
    base = f"http://127.0.0.1:{origin}"
    with pytest.raises(FetchFailed, match=r"exceeds|more than"):
        await SafeFetcher(allow=["127.0.0.1"], max_bytes=100_000).fetch_image(f"{base}/big")
    with pytest.raises(FetchFailed, match="longer than"):
        await SafeFetcher(allow=["127.0.0.1"], timeout=0.3).fetch_image(f"{base}/slow")
    with pytest.raises(NotAnImage) as not_image:
        await SafeFetcher(allow=["127.0.0.1"]).fetch_image(f"{base}/text")
    assert not_image.value.status_code == 422
    with pytest.raises(NotAnImage, match="pixels"):
        await SafeFetcher(allow=["127.0.0.1"]).fetch_image(f"{base}/bomb.png")
    with pytest.raises(FetchFailed, match="Cannot resolve"):
        await fetcher_with({}).fetch_image("https://nowhere.example/x.png")


async def test_data_urls_are_decoded_and_checked() -> None:
    good = "data:image/png;base64," + base64.b64encode(png(8, 8)).decode()
    assert (await SafeFetcher().fetch_image(good)).startswith(b"\x89PNG")
    with pytest.raises(NotAnImage):
        await SafeFetcher().fetch_image("data:image/png;base64,not-base64!!")
    with pytest.raises(NotAnImage):
        await SafeFetcher().fetch_image("data:image/png;base64," + base64.b64encode(bomb_png()).decode())


def test_urlsplit_sanity() -> None:
    assert urlsplit("http://[::1]:80/").hostname == "::1"
