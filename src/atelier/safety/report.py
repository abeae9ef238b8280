"""What the content policy really did for a job, for contracts that report it (Dreamy's
``enable_safety_checker``, NanoDesigner's ``guardrails_ok`` and ``safety_checks``)."""

from __future__ import annotations

from atelier.jobs.models import Job


def prompt_checked(job: Job) -> bool:
    """The offline prompt check (block lists and classifier) ran at submission."""
    return "classifier" in ((job.content_checks or {}).get("prompt") or {}).get("ran", [])


def images_checked(job: Job) -> bool:
    """Every image was scored by the image classifier before it was stored."""
    return "image_classifier" in ((job.content_checks or {}).get("images") or {}).get("ran", [])


def flagged(job: Job) -> bool:
    checks = job.content_checks or {}
    return any((checks.get(stage) or {}).get("decision") == "flag" for stage in ("prompt", "images"))


def safety_checks(job: Job) -> list[str]:
    """The names of the checks that ran, prompt first."""
    ran = ((job.content_checks or {}).get("prompt") or {}).get("ran", [])
    names = [f"content_policy_prompt_{name}" for name in ran]
    return names + (["content_policy_image_classifier"] if images_checked(job) else [])
