"""The prompt check: block lists, the offensive-language classifier and, when configured, a
provider's moderation endpoint, combined per category."""

from __future__ import annotations

from atelier.safety.classifiers import offensive_probability
from atelier.safety.lexicon import matches, variants
from atelier.safety.moderation import Moderation
from atelier.safety.policy import Finding, Policy, Verdict
from atelier.settings import PolicyCategory

SEXUAL, MINORS, HATE, PROFANITY = (
    PolicyCategory.SEXUAL,
    PolicyCategory.SEXUAL_MINORS,
    PolicyCategory.HATE,
    PolicyCategory.PROFANITY,
)


def lexical_findings(policy: Policy, texts: tuple[str, ...]) -> list[Finding]:
    lex = policy.lexicon
    found = [
        Finding(category, "blocklist", term)
        for category, terms in lex.blocked.items()
        if policy.checks(category)
        for term in matches(texts, terms)
    ]
    if policy.checks(MINORS):
        sexual = matches(texts, lex.sexual_terms)
        minors = lex.minor_named(texts)
        if sexual and minors:
            found.append(Finding(MINORS, "blocklist", f"{minors[0]} + {sexual[0]}"))
    if policy.checks(HATE):
        found += [Finding(HATE, "blocklist", phrase) for phrase in lex.hostile_to_target(texts)]
    return found


def classifier_findings(policy: Policy, texts: tuple[str, ...], probability: float) -> list[Finding]:
    """The classifier's probability is a signal, not a category: above the text threshold it
    makes a prompt sexual when a sexual cue is in it, hateful when a group is named."""
    lex, found = policy.lexicon, []
    evidence = f"p={probability:.2f}"
    if probability >= policy.text_threshold:
        if policy.checks(SEXUAL) and (cues := matches(texts, lex.sexual_cues)):
            found.append(Finding(SEXUAL, "classifier", f"{evidence}, {cues[0]}"))
        if policy.checks(HATE) and (targets := matches(texts, lex.hate_targets)):
            found.append(Finding(HATE, "classifier", f"{evidence}, {targets[0]}"))
    if policy.checks(PROFANITY) and probability >= policy.profanity_threshold:
        found.append(Finding(PROFANITY, "classifier", evidence))
    return found


async def check_prompt(policy: Policy, prompt: str, moderation: Moderation | None) -> Verdict:
    verdict = Verdict()
    if not policy.checks_text:
        verdict.skipped["prompt"] = "the policy allows every category"
        return verdict
    texts = variants(prompt)
    verdict.findings += lexical_findings(policy, texts)
    verdict.ran.append("blocklist")
    (probability,) = await offensive_probability([prompt])
    verdict.findings += classifier_findings(policy, texts, probability)
    verdict.ran.append("classifier")
    if moderation is None:
        verdict.skipped["moderation"] = "no moderation endpoint configured"
    else:
        try:
            flagged = await moderation.categories(prompt)
        except Exception as exc:  # the offline checks still decide; the skip is reported
            verdict.skipped["moderation"] = f"moderation endpoint failed: {type(exc).__name__}: {exc}"[:300]
        else:
            verdict.ran.append("moderation")
            verdict.findings += [Finding(c, "moderation", "flagged") for c in flagged if policy.checks(c)]
    return verdict.decide(policy)
