"""Reading a prompt: design type, the text to set, subject, colours, style and mood.

Plain rules over words, no model: a prompt like "vibrant poster for a jazz festival, 'Blue Notes
Night', June 21" yields a poster, headline "Blue Notes Night", date line "June 21", subject
"jazz festival", style vibrant."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from atelier.design.colors import NAMED, named_color
from atelier.design.copy import CopyItem, extract, lines_of
from atelier.design.vocab import DESIGN_TYPES as DESIGN_TYPES
from atelier.design.vocab import MOODS, STOP, STYLE_WORDS, STYLES, TYPE_SIZES, TYPE_WORDS, VOCAB
from atelier.design.vocab import TYPE_ALIASES as TYPE_ALIASES

#: A size in the prompt ("banner 1500x500") is not a word of the subject. The canvas size is the
#: request's: the jobs layer fixes it (and prices and routes by it) before any engine runs.
_SIZE = re.compile(r"\b(\d{2,4})\s*[x×]\s*(\d{2,4})\b")
#: "gold on black", "white on navy": the second colour is the ground.
_ON = re.compile(r"\b([a-z]+)\s+on\s+(?:a\s+)?(?:dark\s+|deep\s+)?([a-z]+)\b")


@dataclass(frozen=True)
class Brief:
    """What the prompt asks for, in the terms the composer needs."""

    prompt: str
    design_type: str
    headline: str | None
    subline: str | None
    subject: str
    subject_words: tuple[str, ...]
    colors: tuple[str, ...] = ()
    color_words: tuple[str, ...] = ()
    style: str = "modern"
    mood: str = "neutral"
    #: Whether the headline came from the prompt (quoted or a proper name) or was inferred.
    text_from_prompt: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: Every piece of copy the prompt asks for, each to be set or named in the notes.
    copy: tuple[CopyItem, ...] = ()
    #: The text lines beyond headline and subline, (role, text) in reading order.
    lines: tuple[tuple[str, str], ...] = ()
    #: Colours named inside the headline ("Red Lion"): a hint for the look when the brief
    #: names none, never taken out of the name.
    hint_colors: tuple[str, ...] = ()
    #: The colour asked for as the ground ("gold on black": black).
    ground_color: str | None = None


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ][a-zà-ÿ0-9&-]*(?:'[a-z]+)?", text.lower())


def normalize_design_type(value: str) -> str:
    """A known design type for ``value`` (aliases such as Pixova's ``flyer`` included)."""
    key = value.strip().lower()
    if key in DESIGN_TYPES:
        return key
    if key in TYPE_ALIASES:
        return TYPE_ALIASES[key]
    raise ValueError(f"unknown design_type {value!r}; use one of {', '.join(DESIGN_TYPES)} (or flyer, social post)")


def detect_type(prompt: str, width: int, height: int) -> str:
    low = prompt.lower()
    found: list[tuple[int, int, str]] = []
    for design_type, phrases in TYPE_WORDS.items():
        for phrase in phrases:
            match = re.search(rf"\b{re.escape(phrase)}\b", low)
            if match:
                found.append((match.start(), -len(phrase), design_type))
    if found:
        # "logo for an app" is a logo; "app icon" is an icon: the earliest mention wins,
        # and the longer (more specific) phrase when two start at the same place.
        return min(found)[2]
    if (width, height) in TYPE_SIZES:
        return TYPE_SIZES[(width, height)]
    ratio = width / max(1, height)
    if ratio >= 2.2:
        return "banner"
    if ratio <= 0.8:
        return "poster"
    return "logo"


def detect_style(words: list[str], explicit: str | None) -> str:
    if explicit:
        key = explicit.strip().lower()
        if key in STYLES:
            return key
    scores = {s: sum(2 if w == s else 1 for w in words if w in kws) for s, kws in STYLE_WORDS.items()}
    best = max(STYLES, key=lambda s: scores[s])
    return best if scores[best] else "modern"


def _subject(prompt_wo_quotes: str) -> list[str]:
    low = prompt_wo_quotes.lower()
    match = re.search(r"\bfor\s+(?:(?:a|an|the|my|our)\s+)?([^,.;:!?()]+)", low)
    if match:
        phrase = re.split(r"\b(?:with|in|using|featuring|that|which|on)\b", match.group(1))[0]
        words = [w for w in words_of(phrase) if w not in STOP and w not in VOCAB and w not in NAMED]
        if words:
            return words[:4]
    return []


def understand(
    prompt: str,
    width: int = 1024,
    height: int = 1024,
    *,
    design_type: str | None = None,
    style: str | None = None,
) -> Brief:
    """Reads ``prompt`` for a canvas of ``width`` × ``height``; ``design_type`` and ``style``
    override what the words say (ValueError for an unknown design type)."""
    prompt = prompt.strip()
    copy = extract(prompt)
    # a document's title is copy and says the format too ("gift voucher", "certificate of…")
    typed = " ".join([copy.remainder, *copy.texts("doc")])
    kind = normalize_design_type(design_type) if design_type else detect_type(typed, width, height)
    lines = lines_of(copy.items)
    headline = lines.get("headline")
    from_prompt = headline is not None
    subline = lines.get("subline")
    plain = _SIZE.sub(" ", copy.remainder)
    all_words = words_of(plain)
    headline_words = set(words_of(headline or ""))
    content = [
        w
        for w in all_words
        if w not in STOP and w not in VOCAB and w not in NAMED and w not in headline_words and not w.isdigit()
    ]
    subject_list = _subject(plain) or content[:3]
    subject = " ".join(subject_list)
    if headline is None and kind != "icon":
        invited = any(w in all_words for w in ("invitation", "invite", "wedding"))
        # "invitation for Zara Lee" is hers; "elegant wedding invitation" invites, to a wedding
        if kind in ("card", "invitation") and invited and not _subject(plain):
            headline = "You're Invited"
            occasion = next((w for w in content if w not in {"invitation", "invite", "card"}), None)
            subline = subline or (f"to celebrate our {occasion}" if occasion else "to celebrate with us")
        elif subject:
            headline = subject.title()
    colors: list[str] = []
    color_words: list[str] = []
    for index, word in enumerate(all_words):
        hex_value = named_color(all_words, index)
        if hex_value and word not in headline_words and hex_value not in colors:
            colors.append(hex_value)
            color_words.append(word)
    headline_list = words_of(headline or "")
    hints = [h for i in range(len(headline_list)) if (h := named_color(headline_list, i)) and h not in colors]
    # the mood from the words about the design first, then from what the headline says
    mood = next((m for m, kws in MOODS.items() if any(k in all_words for k in kws)), None) or next(
        (m for m, kws in MOODS.items() if any(k in headline_list for k in kws)), "neutral"
    )
    ground = _ON.search(plain.lower())
    ground_color = NAMED.get(ground.group(2)) if ground and ground.group(1) in NAMED else None
    # a name ends with what the business is ("Big Apple Bakery"): its last words first
    ordered_subject = list(dict.fromkeys([*subject_list, *content, *reversed(words_of(headline or ""))]))
    return Brief(
        prompt=prompt,
        copy=copy.items,
        lines=tuple((role, text) for role, text in lines.items() if role not in ("headline", "subline")),
        design_type=kind,
        headline=headline,
        subline=subline,
        subject=subject,
        subject_words=tuple(ordered_subject),
        colors=tuple(colors),
        color_words=tuple(color_words),
        style=detect_style(all_words, style),
        mood=mood,
        text_from_prompt=from_prompt,
        hint_colors=tuple(hints),
        ground_color=ground_color if ground_color in colors else None,
    )
