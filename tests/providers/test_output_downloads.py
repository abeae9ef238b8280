"""Output files a provider answers with by URL: fetched directly from the provider's own API
host (the operator configured it), and through the safe fetcher from anywhere else, so an
answer can never point Atelier at an internal address."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image

from atelier.engines.base import CancelToken, GenerationRequest
from atelier.engines.providers.openai_images import OpenAIImagesEngine
from atelier.kit.errors import PermanentEngineError
from tests.providers.conftest import Fake, Progress

REQUEST = GenerationRequest(prompt="a lighthouse", width=1024, height=1024)


def dalle3(fake: Fake, **changes: object) -> OpenAIImagesEngine:
    spec = fake.spec("dall-e-3", base="/v1", options={"response_format": "url"})
    return OpenAIImagesEngine(dataclasses.replace(spec, **changes))  # type: ignore[arg-type]


def file_calls(fake: Fake) -> int:
    return len([s for s in fake.state.seen if s.method == "GET" and "/files/" in s.path])


@pytest.mark.parametrize(
    "file_base",
    [
        "http://localhost:{port}/",  # another name for this machine: resolves to loopback
        "http://169.254.169.254/",  # the cloud metadata address
        "http://10.1.2.3:{port}/",
    ],
)
async def test_an_output_url_off_the_api_host_at_an_internal_address_is_refused(
    openai_api: Fake, progress: Progress, file_base: str
) -> None:
    port = openai_api.url.rsplit(":", 1)[1]
    openai_api.state.file_base = file_base.format(port=port)
    with pytest.raises(PermanentEngineError, match=r"output file URL refused.*non-public address"):
        await dalle3(openai_api).generate(REQUEST, progress, CancelToken())
    assert file_calls(openai_api) == 0


async def test_a_private_file_host_the_settings_allow_is_fetched(openai_api: Fake, progress: Progress) -> None:
    port = openai_api.url.rsplit(":", 1)[1]
    openai_api.state.file_base = f"http://localhost:{port}/"
    result = await dalle3(openai_api, fetch_allow=["localhost"]).generate(REQUEST, progress, CancelToken())
    assert Image.open(io.BytesIO(result.images[0].data)).size == (1024, 1024)
    assert file_calls(openai_api) == 1


async def test_output_files_on_the_api_host_are_fetched_directly(openai_api: Fake, progress: Progress) -> None:
    result = await dalle3(openai_api).generate(REQUEST, progress, CancelToken())
    assert Image.open(io.BytesIO(result.images[0].data)).size == (1024, 1024)
    assert file_calls(openai_api) == 1


async def test_an_oversized_file_off_the_api_host_is_a_permanent_failure(openai_api: Fake, progress: Progress) -> None:
    """Fetching it again would only pay the provider again for the same file."""
    port = openai_api.url.rsplit(":", 1)[1]
    openai_api.state.file_base = f"http://localhost:{port}/"
    engine = dalle3(openai_api, fetch_allow=["localhost"])
    engine.http.max_download_bytes = 1024  # the fake's 1024² PNG is larger
    with pytest.raises(PermanentEngineError, match="output file too large"):
        await engine.generate(REQUEST, progress, CancelToken())
