"""Writing a spec with a language model behind an OpenAI-compatible chat completions API
(``POST {base_url}/chat/completions`` with a strict ``json_schema`` response format).

Every way the call can go wrong (unreachable, an HTTP error, too slow, an answer that is not
JSON or not a valid spec) raises :class:`LlmFailed` with a short reason fit to show the
client; the caller then falls back to the planner. An answer that arrives but is not a valid,
plausible spec is first sent back once with its problems."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from pydantic import BaseModel, Field, ValidationError

from atelier.settings import SpecSettings
from atelier.specs.answer import PlannedDesign, strict_schema, to_spec
from atelier.specs.plausibility import problems
from atelier.specs.schema import InvalidSpec, SpecRequest, check, first_problem

#: An answer larger than this is not a spec anyone asked for.
MAX_ANSWER_BYTES = 2 * 1024 * 1024
SCHEMA_NAME = "design_spec"
INSTRUCTIONS = """You plan structured 3D design specs from a client's prompt, context and constraints.
Answer with one JSON object that follows the JSON schema below, and nothing else.
- Use real-world sizes in metres. x runs along width, y is up (height), z along depth.
- The scene's bounding_box starts at the origin. Each object's position is its corner nearest
  the origin (never negative), and position + dimensions must stay inside the bounding_box.
- Break the design into its main parts (floors, walls, wheels, seats, screens, legs...),
  each with a unique snake_case id.
- design_type and category must be among the values the schema lists.
JSON schema:
"""


class LlmFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Rejected(LlmFailed):
    """An answer that arrived but is not a valid, plausible spec: worth one retry with the
    problems named (an HTTP error, a timeout, a refusal or a cut-off answer is not)."""

    def __init__(self, reason: str, answer: str) -> None:
        super().__init__(reason)
        self.answer = answer


RETRY = """Your answer was rejected: {problems}
Answer again with the whole corrected JSON object, following the same schema and rules."""


class _Message(BaseModel):
    content: str | None = None
    refusal: str | None = None


class _Choice(BaseModel):
    message: _Message
    finish_reason: str | None = None


class _Completion(BaseModel):
    choices: list[_Choice] = Field(min_length=1)


def request_body(settings: SpecSettings, request: SpecRequest) -> dict[str, Any]:
    schema = strict_schema()
    brief = {
        "prompt": request.prompt,
        "context": request.context,
        "style": request.style,
        "constraints": request.constraints,
    }
    return {
        "model": settings.llm_model,
        "messages": [
            {"role": "system", "content": INSTRUCTIONS + json.dumps(schema, separators=(",", ":"))},
            {"role": "user", "content": json.dumps(brief, ensure_ascii=False, default=str)},
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": SCHEMA_NAME, "strict": True, "schema": schema},
        },
    }


async def _post(settings: SpecSettings, body: dict[str, Any]) -> bytes:
    url = f"{str(settings.llm_base_url).rstrip('/')}/chat/completions"
    headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
    limit = settings.llm_timeout_seconds
    try:
        async with (
            asyncio.timeout(limit),
            httpx.AsyncClient(timeout=limit, trust_env=False) as client,
            client.stream("POST", url, json=body, headers=headers) as response,
        ):
            if response.status_code >= 400:
                raise LlmFailed(f"LLM answered HTTP {response.status_code}")
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > MAX_ANSWER_BYTES:
                    raise LlmFailed(f"LLM answer is larger than {MAX_ANSWER_BYTES} bytes")
            return bytes(data)
    except (TimeoutError, httpx.TimeoutException):
        raise LlmFailed(f"LLM did not answer within {limit:g} s") from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise LlmFailed(f"LLM unreachable ({type(exc).__name__})") from None


def _design(raw: bytes) -> tuple[PlannedDesign, str]:
    """The model's design (and its text) out of the completion, or LlmFailed saying what was
    wrong with it."""
    try:
        completion = _Completion.model_validate_json(raw)
    except ValidationError:
        raise LlmFailed("LLM response is not a chat completion") from None
    choice = completion.choices[0]
    if choice.message.refusal:
        raise LlmFailed(f"LLM refused: {choice.message.refusal[:200]}")
    if choice.finish_reason == "length":
        raise LlmFailed("LLM answer was cut off (finish_reason=length)")
    content = choice.message.content or ""
    try:
        answer = json.loads(content)
    except ValueError:
        raise Rejected("LLM answer is not valid JSON", content) from None
    try:
        return PlannedDesign.model_validate(answer), content
    except ValidationError as exc:
        raise Rejected(f"LLM answer does not follow the spec schema: {first_problem(exc)}", content) from None


def _spec(settings: SpecSettings, request: SpecRequest, raw: bytes) -> dict[str, Any]:
    """The checked spec of one completion: the schema's rules, then the category's
    plausible size (plausibility.py); Rejected naming the problems otherwise."""
    design, content = _design(raw)
    spec = to_spec(
        design,
        prompt=request.prompt,
        context=request.context,
        style=request.style,
        constraints=request.constraints,
        method=f"llm:{settings.llm_model}",
    )
    try:
        check(spec)
    except InvalidSpec as exc:
        raise Rejected(f"LLM spec is invalid: {exc}", content) from None
    implausible = problems(spec)
    if implausible:
        raise Rejected(f"LLM spec is implausible: {'; '.join(implausible)}", content)
    return spec


async def write(settings: SpecSettings, request: SpecRequest) -> dict[str, Any]:
    """A checked spec written by the configured model. An answer that is not a valid,
    plausible spec is sent back once with its problems; LlmFailed when that fails too (its
    reason names both problems)."""
    body = request_body(settings, request)
    try:
        return _spec(settings, request, await _post(settings, body))
    except Rejected as exc:
        first = exc
    retry = {
        **body,
        "messages": [
            *body["messages"],
            {"role": "assistant", "content": first.answer[:MAX_ANSWER_BYTES]},
            {"role": "user", "content": RETRY.format(problems=first.reason)},
        ],
    }
    try:
        spec = _spec(settings, request, await _post(settings, retry))
    except LlmFailed as exc:
        raise LlmFailed(f"{first.reason}; retried with the errors: {exc.reason}") from None
    spec["metadata"]["llm_retry_reason"] = first.reason
    return spec
