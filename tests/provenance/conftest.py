"""Provenance tests reuse the fake OpenAI Images server of the provider tests."""

from tests.providers.conftest import _openai_server, openai_api  # noqa: F401
