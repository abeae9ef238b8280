"""Who writes a spec: the configured language model when there is one, otherwise (or when it
fails) the rule-based planner. The spec says which did, and why the model did not."""

from __future__ import annotations

import logging
from typing import Any

from atelier.settings import SpecSettings
from atelier.specs import llm, planner
from atelier.specs.schema import SpecRequest, check

log = logging.getLogger("atelier.specs")


async def write_spec(settings: SpecSettings, request: SpecRequest) -> dict[str, Any]:
    """A checked spec. ``metadata.generation_method`` is ``llm:<model>`` or
    ``rule_based_planner``; after a failed model call ``metadata.llm_fallback_reason`` says why."""
    reason: str | None = None
    if settings.llm_enabled:
        try:
            return await llm.write(settings, request)
        except llm.LlmFailed as exc:
            reason = exc.reason
            log.warning("spec LLM failed, the planner writes the spec instead: %s", reason)
    spec = planner.plan(request.prompt, request.context, request.style, request.constraints)
    check(spec)  # the planner keeps the same rules; a failure here is a planner bug
    if reason is not None:
        spec["metadata"]["llm_fallback_reason"] = reason
    return spec
