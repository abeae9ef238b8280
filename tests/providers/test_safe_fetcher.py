"""The safe fetcher: only public addresses (after DNS, on every redirect, pinned for the
connection), canonical IP spellings, size/time limits, real image decoding."""

from __future__ import annotations

import asyncio
import base64
import struct
import zlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from atelier.fetch.safe import FetchFailed, NotAnImage, SafeFetcher, UnsafeUrl
from tests.helpers.accounts import create_key, register
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
    with pytest.raises(UnsafeUrl, match=r"'intranet\.example' resolves to a non-public address") as caught:
        await fetcher.fetch_image("https://intranet.example/logo.png")
    assert "10.1.2.3" not in caught.value.message  # a refusal never maps internal names


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


#: The issue's acceptance list, each with what the refusal must say. ``{origin}`` is the local
#: origin server standing in for a public CDN ("cdn.example", allow-listed by name).
ACCEPTANCE = [
    ("http://127.0.0.1/logo.png", "non-public address (127.0.0.1)"),
    ("http://[::1]/logo.png", "non-public address (::1)"),
    ("http://10.0.0.1/logo.png", "non-public address (10.0.0.1)"),
    ("http://10.254.1.9:8443/logo.png", "non-public address (10.254.1.9)"),
    ("http://169.254.169.254/latest/meta-data/", "non-public address (169.254.169.254)"),
    # a name's resolved address is never repeated (that would map internal names for the caller)
    ("https://intranet.example/logo.png", "'intranet.example' resolves to a non-public address; it"),
    ("http://cdn.example:{origin}/redirect?to=http://10.0.0.7/logo.png", "non-public address (10.0.0.7)"),
    (
        "http://cdn.example:{origin}/redirect?to=http://metadata.example/latest",
        "'metadata.example' resolves to a non-public address; it",
    ),
    ("http://cdn.example:{origin}/redirect?to=http://[::1]/logo.png", "non-public address (::1)"),
    ("http://2130706433/logo.png", "non-canonical IP spelling"),  # 127.0.0.1 in decimal
    ("http://0177.0.0.1/logo.png", "non-canonical IP spelling"),  # 127.0.0.1 in octal
    ("http://2852039166/latest/meta-data/", "non-canonical IP spelling"),  # 169.254.169.254 in decimal
    ("http://0251.0376.0251.0376/latest/", "non-canonical IP spelling"),  # 169.254.169.254 in octal
    ("http://012.0.0.1/logo.png", "non-canonical IP spelling"),  # 10.0.0.1 in octal
]
ACCEPTANCE_DNS = {"intranet.example": [["10.1.2.3"]], "metadata.example": [["169.254.169.254"]]}


def acceptance_fetcher() -> SafeFetcher:
    return fetcher_with({**ACCEPTANCE_DNS, "cdn.example": [["127.0.0.1"]]}, allow=["cdn.example"])


@pytest.mark.parametrize(("url", "says"), ACCEPTANCE)
async def test_acceptance_refusals_are_clear_400s(origin: int, url: str, says: str) -> None:
    with pytest.raises(UnsafeUrl) as caught:
        await acceptance_fetcher().fetch_image(url.format(origin=origin))
    assert caught.value.status_code == 400 and caught.value.code == "UNSAFE_URL"
    assert says in caught.value.message


async def test_acceptance_refusals_through_the_api(origin: int, app: FastAPI, client: httpx.AsyncClient) -> None:
    app.state.runtime.services.fetcher = acceptance_fetcher()
    account = await register(client)
    headers = {"X-API-Key": await create_key(client, account)}
    # the stand-in CDN itself is fetched, so a refusal below is about the address, not the route
    fine = {"prompt": "logo", "references": [f"http://cdn.example:{origin}/logo.png"], "size": "256x256"}
    assert (await client.post("/v1/generations", json=fine, headers=headers)).status_code == 202
    for url, says in ACCEPTANCE:
        body = {"prompt": "logo", "references": [url.format(origin=origin)]}
        response = await client.post("/v1/generations", json=body, headers=headers)
        assert response.status_code == 400, (url, response.text)
        error = response.json()["error"]
        assert error["code"] == "UNSAFE_URL" and says in error["message"], (url, error)


def test_urlsplit_sanity() -> None:
    assert urlsplit("http://[::1]:80/").hostname == "::1"
