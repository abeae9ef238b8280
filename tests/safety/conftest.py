"""Policies built from settings alone (no database) for the classifier tests, and the images
the image path is tested on."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter

from atelier.safety.policy import Policy
from atelier.safety.service import ContentPolicyService
from atelier.settings import ContentPolicySettings

BRIEFS = Path(__file__).with_name("briefs.txt")


def policy_of(**fields: object) -> Policy:
    settings = ContentPolicySettings(**fields)  # type: ignore[arg-type]
    return ContentPolicyService(settings, None).default()  # type: ignore[arg-type]


@pytest.fixture
def default_policy() -> Policy:
    return policy_of()


def briefs() -> list[str]:
    return [line for line in BRIEFS.read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]


def skin_figure_png() -> bytes:
    """A crude synthetic drawing of a bare torso (skin-toned shapes, blurred): no photograph,
    but NudeNet's detector scores it as an exposed breast well above ordinary images (about
    0.5 against under 0.1), which is what a threshold test needs."""
    image = Image.new("RGB", (512, 512), (90, 120, 160))
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 40, 360, 560), fill=(226, 178, 150))
    draw.ellipse((150, 150, 255, 260), fill=(232, 185, 158))
    draw.ellipse((255, 150, 360, 260), fill=(232, 185, 158))
    draw.ellipse((195, 195, 212, 212), fill=(170, 100, 90))
    draw.ellipse((298, 195, 315, 212), fill=(170, 100, 90))
    out = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(6)).save(out, "PNG")
    return out.getvalue()
