"""The text roles a design sets and their type scale.

Every line of copy has a role (see :data:`atelier.design.copy.ROLES`) and each role a level:
the headline is level 1, and a line of level ``n`` is set at most ``HEAD_STEP × STEP^(n-2)``
times smaller than the headline, so the hierarchy reads at a glance (the headline at least
1.5× the next level) whatever room a layout gives each line."""

from __future__ import annotations

from dataclasses import dataclass

from atelier.design.brief import Brief


@dataclass(frozen=True)
class TextItem:
    role: str
    text: str
    share: float
    head: bool = True  # headline family, else the body family
    max_lines: int = 2


#: role → (share of a text block's height, max lines, set in the headline family, level)
ROLE_STYLE: dict[str, tuple[float, int, bool, int]] = {
    "kicker": (0.1, 1, False, 3),
    "headline": (0.7, 2, True, 1),
    "subline": (0.3, 2, False, 2),
    "offer": (0.2, 2, True, 2),
    "details": (0.15, 2, False, 3),
    "venue": (0.13, 2, False, 3),
    "cta": (0.15, 1, True, 3),
    "contact": (0.12, 2, False, 4),
    "fine": (0.08, 2, False, 5),
}
HEAD_STEP = 1.5
STEP = 1.2


def level(role: str) -> int:
    return ROLE_STYLE.get(role, (0.0, 1, False, 3))[3]


def cap_for(role: str, head_size: float) -> float:
    """The largest size a line of ``role`` may take beside a headline of ``head_size``."""
    n = level(role)
    return head_size if n <= 1 else head_size / (HEAD_STEP * STEP ** (n - 2))


def is_head(role: str) -> bool:
    """Whether a line of ``role`` is set in the headline family."""
    return ROLE_STYLE.get(role, (0.0, 1, False, 3))[2]


def item(role: str, text: str, *, share: float | None = None, lines: int | None = None) -> TextItem:
    default_share, default_lines, head, _ = ROLE_STYLE[role]
    limit = 80 if role == "headline" else 160
    return TextItem(role, text[:limit], default_share if share is None else share, head, lines or default_lines)


def texts(brief: Brief, head_lines: int = 2, roles: tuple[str, ...] | None = None) -> list[TextItem]:
    """The brief's lines in reading order (kicker, headline, subline, then the rest), only
    those of ``roles`` when given."""
    found: list[TextItem] = []
    lines = dict(brief.lines)
    if "kicker" in lines:
        found.append(item("kicker", lines["kicker"]))
    if brief.headline:
        found.append(item("headline", brief.headline, lines=head_lines))
    if brief.subline:
        found.append(item("subline", brief.subline, lines=2 if brief.lines else 1))
    found += [item(role, text) for role, text in brief.lines if role in ROLE_STYLE and role != "kicker"]
    return [i for i in found if roles is None or i.role in roles]


def pick(items: list[TextItem], *roles: str) -> list[TextItem]:
    return [i for i in items if i.role in roles]


def without(items: list[TextItem], *roles: str) -> list[TextItem]:
    return [i for i in items if i.role not in roles]
