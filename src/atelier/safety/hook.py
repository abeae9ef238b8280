"""The prompt check as the first job hook: a blocked prompt is refused before any other hook
reserves a credit or a budget (the request's transaction then rolls back: no job, no entry)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from atelier.jobs.hooks import JobEvent, Outcome, Submission
from atelier.safety.service import ContentPolicyService


class PromptCheckHook:
    def __init__(self, policy: ContentPolicyService) -> None:
        self.policy = policy

    async def before_submit(self, session: AsyncSession, submission: Submission) -> None:
        verdict = await self.policy.check_prompt(session, submission.organization_id, submission.prompt)
        verdict.raise_if_blocked("prompt")
        submission.content_checks = {"prompt": verdict.report()}

    async def on_event(self, session: AsyncSession, event: JobEvent) -> None:
        return None

    async def on_finished(self, session: AsyncSession, outcome: Outcome) -> None:
        return None
