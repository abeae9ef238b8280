"""The output check: every engine's images scored by NudeNet before they are stored."""

from __future__ import annotations

from atelier.safety.classifiers import Opened, explicit_nudity
from atelier.safety.policy import Finding, Policy, Verdict
from atelier.settings import PolicyCategory


async def check_image(policy: Policy, data: bytes, opened: Opened | None = None) -> Verdict:
    """NudeNet finds exposed bodies, so an image can be told ``sexual`` only: whether it
    involves a minor, or is hateful, is left to the prompt check (and said so in ``skipped``)."""
    verdict = Verdict()
    if not policy.checks_images:
        verdict.skipped["image_classifier"] = "the policy allows sexual images"
        return verdict
    label, score = await explicit_nudity(data, opened)
    verdict.ran.append("image_classifier")
    verdict.skipped["image_hate_minors"] = "no offline image classifier for hate or minors"
    if score >= policy.image_threshold:
        verdict.findings.append(Finding(PolicyCategory.SEXUAL, "image_classifier", f"{label}={score:.2f}"))
    return verdict.decide(policy)
