"""The content policy as a service: each organization's effective policy (the settings'
default under its stored override), the prompt check and the output check."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from atelier.engines.base import GeneratedImage
from atelier.jobs.hooks import OutputReview
from atelier.jobs.models import Job
from atelier.kit.absence import Absence
from atelier.safety.images import check_image
from atelier.safety.lexicon import Lexicon
from atelier.safety.models import ContentPolicyOverride
from atelier.safety.moderation import Moderation
from atelier.safety.policy import Policy, Verdict
from atelier.safety.text import check_prompt
from atelier.settings import ContentPolicySettings, PolicyCategory, PolicyDecision

#: Organizations known to keep the default policy.
NO_OVERRIDE = Absence(ContentPolicyOverride, lambda override: str(override.organization_id))


def _terms(raw: dict[str, Any]) -> dict[PolicyCategory, list[str]]:
    return {PolicyCategory(name): [str(t) for t in terms] for name, terms in raw.items() if terms}


class ContentPolicyService:
    def __init__(
        self,
        settings: ContentPolicySettings,
        sessions: async_sessionmaker[AsyncSession],
        moderation: Moderation | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.moderation = moderation
        self.default_lexicon = Lexicon.build(settings.blocklists, {})

    def default(self) -> Policy:
        s = self.settings
        return Policy(
            dict(s.categories), s.text_threshold, s.profanity_threshold, s.image_threshold, self.default_lexicon
        )

    def apply(self, override: ContentPolicyOverride | None) -> Policy:
        base = self.default()
        if override is None:
            return base
        terms = _terms(override.blocked_terms or {})
        decisions = {**base.decisions, **{PolicyCategory(k): PolicyDecision(v) for k, v in override.categories.items()}}
        return Policy(
            decisions,
            base.text_threshold if override.text_threshold is None else override.text_threshold,
            base.profanity_threshold if override.profanity_threshold is None else override.profanity_threshold,
            base.image_threshold if override.image_threshold is None else override.image_threshold,
            Lexicon.build(self.settings.blocklists, terms) if terms else base.lexicon,
            source="organization",
        )

    async def policy_for(self, session: AsyncSession, organization_id: str) -> Policy:
        """The organization's effective policy. Most organizations keep the default: one
        found without an override is taken to have none for ``override_cache_seconds``
        (one set in this process counts at once; :mod:`atelier.kit.absence`)."""
        override = await NO_OVERRIDE.find(
            organization_id,
            self.settings.override_cache_seconds,
            lambda: session.get(ContentPolicyOverride, organization_id),
        )
        return self.apply(override)

    async def check_prompt(self, session: AsyncSession, organization_id: str, prompt: str) -> Verdict:
        return await check_prompt(await self.policy_for(session, organization_id), prompt, self.moderation)

    async def review(self, job: Job, images: list[GeneratedImage]) -> OutputReview:
        """Every image scored; one to block fails the whole job (nothing of it is stored). A
        flagged prompt flags every image it made."""
        async with self.sessions() as session:
            policy = await self.policy_for(session, job.organization_id)
        prompt = (job.content_checks or {}).get("prompt") or {}
        prompt_flag = ",".join(prompt.get("categories", [])) if prompt.get("decision") == "flag" else None
        verdicts = [await check_image(policy, image.data, image.opened) for image in images]
        for verdict in verdicts:
            verdict.raise_if_blocked("image")
        flags = [",".join(v.categories) if v.decision == PolicyDecision.FLAG else prompt_flag for v in verdicts]
        first = verdicts[0] if verdicts else Verdict()
        report = {
            "decision": "flag" if any(flags) else "allow",
            "categories": sorted({c for v in verdicts for c in v.categories}),
            "ran": first.ran,
            "skipped": first.skipped,
            "flagged": sum(1 for flag in flags if flag),
        }
        return OutputReview(flags, report)

    async def aclose(self) -> None:
        if self.moderation is not None:
            await self.moderation.aclose()
