"""An organization's effective content policy, and what a check found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from atelier.kit.errors import ContentPolicyViolation
from atelier.safety.lexicon import Lexicon
from atelier.settings import PolicyCategory, PolicyDecision

#: When several categories are found, the strictest decision wins.
_RANK = {PolicyDecision.ALLOW: 0, PolicyDecision.FLAG: 1, PolicyDecision.BLOCK: 2}


@dataclass(frozen=True)
class Policy:
    decisions: dict[PolicyCategory, PolicyDecision]
    text_threshold: float
    profanity_threshold: float
    image_threshold: float
    lexicon: Lexicon
    #: ``default`` (settings) or ``organization`` (an override is stored).
    source: str = "default"

    def decision(self, category: PolicyCategory) -> PolicyDecision:
        return self.decisions.get(category, PolicyDecision.ALLOW)

    def checks(self, category: PolicyCategory) -> bool:
        return self.decision(category) != PolicyDecision.ALLOW

    @property
    def checks_text(self) -> bool:
        return any(self.checks(c) for c in PolicyCategory)

    @property
    def checks_images(self) -> bool:
        return self.checks(PolicyCategory.SEXUAL)


@dataclass
class Finding:
    category: PolicyCategory
    #: What found it: ``blocklist``, ``classifier``, ``moderation`` or ``image_classifier``.
    by: str
    evidence: str


@dataclass
class Verdict:
    """What one check decided, and which checks really ran (``ran``) or were skipped and why."""

    decision: PolicyDecision = PolicyDecision.ALLOW
    findings: list[Finding] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def decide(self, policy: Policy) -> Verdict:
        for finding in self.findings:
            wanted = policy.decision(finding.category)
            if _RANK[wanted] > _RANK[self.decision]:
                self.decision = wanted
        return self

    @property
    def categories(self) -> list[str]:
        return sorted({f.category.value for f in self.findings})

    def report(self) -> dict[str, Any]:
        return {
            "decision": self.decision.value,
            "categories": self.categories,
            "ran": self.ran,
            "skipped": self.skipped,
        }

    def raise_if_blocked(self, what: str) -> None:
        if self.decision == PolicyDecision.BLOCK:
            found = [f for f in self.findings if f.category.value in self.categories]
            names = ", ".join(self.categories)
            raise ContentPolicyViolation(
                f"The {what} was blocked by the content policy ({names})",
                details={"categories": self.categories, "checks": sorted({f.by for f in found}), "stage": what},
            )
