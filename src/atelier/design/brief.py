"""Reading a prompt: design type, the text to set, subject, colours, style and mood.

Plain rules over words, no model: a prompt like "vibrant poster for a jazz festival, 'Blue Notes
Night', June 21" yields a poster, headline "Blue Notes Night", date line "June 21", subject
"jazz festival", style vibrant."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from atelier.design.colors import NAMED, named_color

DESIGN_TYPES = ("logo", "icon", "badge", "banner", "social", "poster", "card")
STYLES = ("modern", "corporate", "creative", "minimalist", "vibrant", "elegant")
#: Names other contracts use for the same design types (Pixova's flyer, OpenAI-ish words).
TYPE_ALIASES = {
    "flyer": "poster",
    "leaflet": "poster",
    "social post": "social",
    "social_post": "social",
    "post": "social",
    "instagram": "social",
    "business card": "card",
    "business_card": "card",
    "invitation": "card",
    "app icon": "icon",
    "app_icon": "icon",
    "emblem": "badge",
    "header": "banner",
}

_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "icon": ("app icon", "icon", "favicon", "app logo"),
    "card": ("business card", "invitation", "invite", "greeting card", "card", "certificate", "menu card"),
    "badge": ("badge", "emblem", "seal", "crest", "patch", "sticker"),
    "banner": ("banner", "header", "cover photo", "billboard", "leaderboard", "hero image", "twitter header"),
    "social": ("social post", "social media", "instagram", "facebook post", "linkedin post", "post", "story", "tweet"),
    "poster": ("poster", "flyer", "leaflet", "brochure"),
    "logo": ("logo", "logotype", "wordmark", "brand mark", "monogram", "brand identity"),
}
_STYLE_WORDS: dict[str, tuple[str, ...]] = {
    "modern": ("modern", "sleek", "futuristic", "contemporary", "tech", "startup", "app"),
    "corporate": ("corporate", "professional", "business", "law", "legal", "finance", "consulting", "bank"),
    "creative": ("creative", "playful", "artsy", "quirky", "fun", "kids", "whimsical", "hand-drawn"),
    "minimalist": ("minimalist", "minimal", "simple", "clean", "flat"),
    "vibrant": ("vibrant", "bold", "colorful", "colourful", "energetic", "neon", "festival", "party", "bright"),
    "elegant": ("elegant", "luxury", "luxurious", "classy", "wedding", "refined", "premium", "boutique", "classic"),
}
_MOODS: dict[str, tuple[str, ...]] = {
    "energetic": ("energetic", "dynamic", "sport", "sports", "fitness", "gym", "party", "festival", "workout", "race"),
    "calm": ("calm", "serene", "peaceful", "spa", "relax", "yoga", "meditation", "wellness"),
    "warm": ("warm", "cozy", "cosy", "coffee", "bakery", "cafe", "café", "restaurant", "kitchen"),
    "serious": ("law", "legal", "finance", "trust", "serious", "insurance", "bank", "accounting"),
    "playful": ("playful", "kids", "toy", "toys", "pet", "pets", "fun", "candy", "game"),
    "luxurious": ("luxury", "wedding", "jewelry", "jewellery", "premium", "gala", "elegant"),
    "fresh": ("fresh", "organic", "eco", "garden", "green", "fern", "plant", "vegan", "farm"),
}
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "for",
        "of",
        "and",
        "with",
        "in",
        "on",
        "at",
        "to",
        "by",
        "my",
        "our",
        "your",
        "their",
        "its",
        "is",
        "are",
        "be",
        "this",
        "that",
        "from",
        "as",
        "design",
        "make",
        "create",
        "please",
        "some",
        "new",
        "me",
        "us",
        "it",
        "which",
        "who",
    ]
)
#: Words about the design itself, never its subject.
_VOCAB = frozenset(
    {w for words in _TYPE_WORDS.values() for p in words for w in p.split()}
    | set(STYLES)
    | {"app", "media", "image", "graphic", "style", "colors", "colours", "color", "colour", "palette", "pastel"}
    | {"sleek", "futuristic", "contemporary", "professional", "playful", "artsy", "quirky", "minimal", "simple"}
    | {"clean", "flat", "bold", "colorful", "colourful", "energetic", "neon", "bright", "classy", "refined"}
    | {"premium", "classic", "luxurious", "whimsical", "hand-drawn", "cute", "beautiful", "nice", "cool", "tones"}
    # how it should look, never what it is called: "logo with blue and purple gradient"
    | {"gradient", "gradients", "glow", "glowing", "glossy", "shiny", "metallic", "matte", "vector", "3d"}
    | {"shadow", "shadows", "textured", "texture", "duotone", "monochrome", "monochromatic", "outline", "outlined"}
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s*\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}(?:,?\s*\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b", re.IGNORECASE)
#: A size in the prompt ("banner 1500x500") is not a word of the subject. The canvas size is the
#: request's: the jobs layer fixes it (and prices and routes by it) before any engine runs.
_SIZE = re.compile(r"\b(\d{2,4})\s*[x×]\s*(\d{2,4})\b")
_QUOTED = re.compile(r"\"([^\"]{1,80})\"|“([^”]{1,80})”|‘([^’]{1,80})’|(?<![\w'])'([^']{1,80})'(?![\w])")
_CAPS = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:&\s+|and\s+|of\s+)?[A-Z][\w'’-]*)*")


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
    found: list[tuple[int, str]] = []
    for design_type, phrases in _TYPE_WORDS.items():
        for phrase in phrases:
            match = re.search(rf"\b{re.escape(phrase)}\b", low)
            if match:
                found.append((match.start(), design_type))
    if found:
        # "logo for an app" is a logo; "app icon" is an icon: the earliest mention wins,
        # and the more specific phrase when two start at the same place.
        return min(found)[1]
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
    scores = {s: sum(2 if w == s else 1 for w in words if w in kws) for s, kws in _STYLE_WORDS.items()}
    best = max(STYLES, key=lambda s: scores[s])
    return best if scores[best] else "modern"


def _quoted(prompt: str) -> list[str]:
    return [next(g for g in m.groups() if g).strip() for m in _QUOTED.finditer(prompt)]


def _proper_name(prompt: str) -> str | None:
    named = re.search(r"\b(?:called|named|titled|brand)\s+([A-Z][\w&'’-]*(?:\s+(?:&\s+)?[A-Z][\w&'’-]*){0,4})", prompt)
    if named:
        return named.group(1).strip()
    best: str | None = None
    for match in _CAPS.finditer(prompt):
        parts = match.group(0).split()
        while parts and (parts[0].lower() in _VOCAB or parts[0].lower() in _STOP or parts[0].lower() in NAMED):
            parts.pop(0)
        while parts and parts[-1].lower() in {"&", "and", "of"}:
            parts.pop()
        if parts and _DATE.match(" ".join(parts)) is None and not re.match(_MONTHS + "$", parts[0].lower()):
            candidate = " ".join(parts)
            if best is None or len(candidate) > len(best):
                best = candidate
    return best


def _subject(prompt_wo_quotes: str) -> list[str]:
    low = prompt_wo_quotes.lower()
    match = re.search(r"\bfor\s+(?:(?:a|an|the|my|our)\s+)?([^,.;:!?()]+)", low)
    if match:
        phrase = re.split(r"\b(?:with|in|using|featuring|that|which|on)\b", match.group(1))[0]
        words = [w for w in words_of(phrase) if w not in _STOP and w not in _VOCAB and w not in NAMED]
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
    kind = normalize_design_type(design_type) if design_type else detect_type(prompt, width, height)
    quoted = _quoted(prompt)
    without_quotes = _QUOTED.sub(" ", prompt)
    date = _DATE.search(without_quotes)
    time_ = _TIME.search(without_quotes)
    headline: str | None = quoted[0] if quoted else _proper_name(_DATE.sub(" ", without_quotes))
    from_prompt = headline is not None
    subline: str | None = quoted[1] if len(quoted) > 1 else None
    if date:
        subline = " · ".join(p for p in (subline, date.group(0).strip(), time_.group(0) if time_ else None) if p)
    plain = _SIZE.sub(" ", _TIME.sub(" ", _DATE.sub(" ", without_quotes)))
    if headline and not quoted:
        plain = plain.replace(headline, " ")
    all_words = words_of(plain)
    headline_words = set(words_of(headline or ""))
    content = [
        w
        for w in all_words
        if w not in _STOP and w not in _VOCAB and w not in NAMED and w not in headline_words and not w.isdigit()
    ]
    subject_list = _subject(plain) or content[:3]
    subject = " ".join(subject_list)
    if headline is None and kind != "icon":
        if kind == "card" and any(w in all_words for w in ("invitation", "invite", "wedding")):
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
    mood = next((m for m, kws in _MOODS.items() if any(k in all_words for k in kws)), "neutral")
    ordered_subject = list(dict.fromkeys([*subject_list, *content, *sorted(headline_words)]))
    return Brief(
        prompt=prompt,
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
    )
