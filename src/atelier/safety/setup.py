from __future__ import annotations

from atelier.kit.runtime import Runtime
from atelier.safety.hook import PromptCheckHook
from atelier.safety.moderation import Moderation
from atelier.safety.service import ContentPolicyService


async def start_safety(runtime: Runtime) -> None:
    """Before billing: the prompt check must be the first hook a submission meets. The
    classifiers load on first use, not here."""
    settings = runtime.settings.content_policy
    moderation = Moderation(settings) if settings.moderation_url else None
    # it only reads (the organization's override): read sessions take no SQLite write lock
    policy = ContentPolicyService(settings, runtime.read_sessions, moderation)
    runtime.services.content_policy = policy
    runtime.services.output_check = policy
    runtime.services.job_hooks.insert(0, PromptCheckHook(policy))
    runtime.closers.append(policy.aclose)
