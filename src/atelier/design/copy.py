"""The copy a prompt asks to be set, read whole: names and titles, taglines, offers and
prices, codes, dates, weekdays, times, venues and addresses, phones, e-mail and web
addresses, ages and counts, calls to action. Each item is typed and keeps its place.

Rules over the text, no model. Kinds are read in :data:`ORDER` and each item's span is
blanked before the next kind looks, so no word is read twice: "RSVP by May 1" is one call
to action, and the "code" of "code SAVE20" never reaches the subject (nor picks an icon).
What is left, :attr:`Copy.remainder`, is what the design is *about* and how it should look."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from atelier.design import copy_patterns as pat
from atelier.design.colors import NAMED
from atelier.design.vocab import STOP, VOCAB

#: Where each kind of copy is set: the text role of its line on the design.
ROLE_OF = {
    "doc": "kicker",
    "name": "headline",
    "title": "subline",
    "tagline": "subline",
    "occasion": "subline",
    "count": "subline",
    "offer": "offer",
    "code": "offer",
    "weekday": "details",
    "date": "details",
    "time": "details",
    "seat": "details",
    "venue": "venue",
    "address": "venue",
    "phone": "contact",
    "email": "contact",
    "web": "contact",
    "cta": "cta",
    "fine": "fine",
    "signoff": "subline",
}
KINDS = tuple(ROLE_OF)
#: The text roles in reading order, below the headline.
ROLES = ("kicker", "headline", "subline", "offer", "details", "venue", "cta", "contact", "fine")
#: Words that open a sentence and never a name ("Celebrate Grandma Rose…").
_VERBS = frozenset({"celebrate", "announce", "announcing", "introducing", "promote", "advertise", "invite", "welcome"})
_JOINERS = frozenset({"&", "and", "of", "the", "de"})


@dataclass(frozen=True)
class CopyItem:
    """One piece of copy: its kind (see :data:`KINDS`), the text to set, its span in the prompt."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def role(self) -> str:
        return ROLE_OF[self.kind]


@dataclass(frozen=True)
class Copy:
    items: tuple[CopyItem, ...]
    #: The prompt with every item's span blanked: what the design is about and how it looks.
    remainder: str

    def of(self, kind: str) -> tuple[CopyItem, ...]:
        return tuple(i for i in self.items if i.kind == kind)

    def texts(self, kind: str) -> list[str]:
        return [i.text for i in self.of(kind)]


def lines_of(items: tuple[CopyItem, ...] | list[CopyItem]) -> dict[str, str]:
    """One line of text per role, its items joined by a middle dot (weekday, date, then time
    on the details line; prompt order elsewhere)."""
    lines: dict[str, str] = {}
    for role in ROLES:
        group = [i for i in items if i.role == role]
        if role == "details":
            group.sort(key=lambda i: (KINDS.index(i.kind), i.start))
        if group:
            lines[role] = " · ".join(dict.fromkeys(i.text for i in group))
    return lines


class _Reader:
    def __init__(self, prompt: str) -> None:
        self.prompt = prompt
        self.rest = prompt
        self.items: list[CopyItem] = []

    def take(
        self, kind: str, start: int, end: int, text: str, blank: tuple[int, int] | None = None, verbatim: bool = False
    ) -> None:
        """Records an item (quoted text ``verbatim``, other text cased for setting) and blanks
        ``blank`` (its span by default, with a label such as "phone:" before it)."""
        text = " ".join(text.split()).strip(" ,;:-–—")
        b0, b1 = blank or (start, end)
        if kind in ("phone", "email", "web", "address", "venue"):
            label = pat.LABEL.search(self.rest, 0, b0)
            if label:
                b0 = label.start()
        self.rest = self.rest[:b0] + " " * (b1 - b0) + self.rest[b1:]
        if text:
            self.items.append(CopyItem(kind, text if verbatim else _display(kind, text), start, end))

    def each(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """The matches in what is left, found before any of them is taken."""
        yield from list(pattern.finditer(self.rest))

    def simple(self, kind: str, pattern: re.Pattern[str], keep: Callable[[re.Match[str]], bool] | None = None) -> None:
        for m in self.each(pattern):
            if m.group(0).strip() and (keep is None or keep(m)):
                self.take(kind, m.start(), m.end(), m.group(0))


def _display(kind: str, text: str) -> str:
    if kind in ("email", "web"):
        return text
    if kind == "cta":
        text = re.sub(r"\brsvp\b", "RSVP", text, flags=re.IGNORECASE)
    if kind == "occasion":
        return " ".join(w if w.isupper() else w.capitalize() for w in text.split())
    return text[0].upper() + text[1:] if text[0].islower() else text


def _title_word(word: str) -> str:
    return word if word.lower() in ("of", "the") else word[:1].upper() + word[1:].lower()


def _low(word: str) -> str:
    return word.lower().strip(".,")


def _strip_name(words: list[str]) -> list[str]:
    """A capitalised run without the words about the design: "Minimal Logo" is no name, and a
    colour opens a name only when a name follows it ("Black Friday", not "Blue Logo")."""
    first, last = _kept(words)
    return words[first:last]


def _kept(words: list[str]) -> tuple[int, int]:
    """The slice of ``words`` that :func:`_strip_name` keeps."""
    lo, hi = 0, len(words)
    while lo < hi:
        word = _low(words[lo])
        colour_alone = word in NAMED and (hi - lo == 1 or _low(words[lo + 1]) in VOCAB or _low(words[lo + 1]) in STOP)
        if word in VOCAB or word in STOP or word in _VERBS or colour_alone or word in _JOINERS:
            lo += 1
            continue
        break
    while hi > lo and (_low(words[hi - 1]) in VOCAB or _low(words[hi - 1]) in STOP or _low(words[hi - 1]) in _JOINERS):
        hi -= 1
    if hi - lo == 1 and (re.fullmatch(pat.MONTHS, _low(words[lo])) or re.fullmatch(pat.WEEKDAY_NAMES, _low(words[lo]))):
        return 0, 0
    return lo, hi


def _run(text: str, offset: int) -> tuple[int, int, str] | None:
    """The name in a capitalised run at ``offset``: its span and text, or None."""
    spans = [(m.start() + offset, m.end() + offset, m.group(0)) for m in re.finditer(r"\S+", text)]
    lo, hi = _kept([w for _, _, w in spans])
    if lo >= hi:
        return None
    return spans[lo][0], spans[hi - 1][1], " ".join(w for _, _, w in spans[lo:hi])


def _quoted(reader: _Reader) -> None:
    for m in reader.each(pat.QUOTED):
        text = next(g for g in m.groups() if g).strip()
        labelled = pat.QUOTE_LABEL.search(reader.prompt, 0, m.start()) is not None
        # "post for Green Leaf Yoga, 'breathe in'": the name came first, unquoted
        named = pat.NAMED_AS.search(reader.prompt, 0, m.start())
        named_first = named is not None and _run(named.group("name"), 0) is not None
        kind = "tagline" if labelled or named_first or reader.items else "name"
        reader.take(kind, m.start(), m.end(), text, verbatim=True)


def _names(reader: _Reader) -> None:
    """The name (the longest capitalised run, or the one after "called", "for"…), and other
    names of two words or more as titles ("Black Friday" beside the shop's name)."""
    runs: list[tuple[int, int, str]] = []
    named = None if any(i.kind == "name" for i in reader.items) else pat.NAMED_AS.search(reader.rest)
    first = _run(named.group("name"), named.start("name")) if named else None
    if first:
        runs.append(first)
    for m in pat.CAPS.finditer(reader.rest):
        if first and m.start() < first[1] and first[0] < m.end():
            continue
        run = _run(m.group(0), m.start())
        if run:
            runs.append(run)
    places = [r for r in runs if r is not first and _low(r[2].split()[-1]) in pat.VENUE_WORDS]
    if len(places) == len(runs):
        places = places[1:]
    has_name = any(i.kind == "name" for i in reader.items)
    names = [r for r in runs if r not in places]
    main = None if has_name or not names else (first or max(names, key=lambda r: len(r[2])))
    # a place keeps its article: "The Rooftop Bar"
    places = [_with_article(reader.rest, r) for r in places]
    for run in runs:
        if run is main:
            reader.take("name", *run)
        elif (place := _with_article(reader.rest, run)) in places:
            reader.take("venue", *place)
        elif len(run[2].split()) >= 2:
            reader.take("title", *run)


def _with_article(text: str, run: tuple[int, int, str]) -> tuple[int, int, str]:
    start = run[0]
    if text[max(0, start - 4) : start] in ("The ", "the "):
        return start - 4, run[1], "The " + run[2]
    return run


def _descriptor(reader: _Reader) -> None:
    """A job title right after the name: "Dr. Maria Lopez, pediatric dentist"."""
    name = next((i for i in reader.items if i.kind == "name"), None)
    if name is None:
        return
    m = pat.DESCRIPTOR.match(reader.rest, name.end)
    if not m:
        return
    words = [_low(w) for w in m.group("text").split()]
    if len(words) <= 4 and words[-1].endswith(pat.TITLE_ENDINGS) and not all(w in VOCAB or w in STOP for w in words):
        reader.take("tagline", m.start("text"), m.end("text"), m.group("text"))


#: Words that make the weekday after them part of a name: "Black Friday", "Taco Tuesday".
_DAY_NAMES = frozenset(
    {"black", "cyber", "good", "giving", "super", "easter", "palm", "ash", "fat", "holy", "business", "taco", "mad"}
)


def _weekday_not_in_name(reader: _Reader) -> Callable[[re.Match[str]], bool]:
    def keep(m: re.Match[str]) -> bool:
        before = reader.rest[: m.start()].split()
        return not (before and _low(before[-1]) in _DAY_NAMES)

    return keep


def _not_in_a_name(reader: _Reader) -> Callable[[re.Match[str]], bool]:
    """ "Flash sale" is an occasion; the "Sale" of "Maple Street Bake Sale" belongs to the name."""

    def keep(m: re.Match[str]) -> bool:
        before = reader.rest[: m.start()].split()
        return not (m.group(0)[:1].isupper() and before and before[-1][:1].isupper())

    return keep


def _code_token(m: re.Match[str]) -> bool:
    token = m.group("token")
    return (token == token.upper() and not token.isdigit()) or (token.isdigit() and len(token) >= 3)


_CARD_WORDS = re.compile(
    r"\b(?:cards?|thank|thanks|greetings?|birthday|wedding|invitations?|note|postcard|valentine)", re.I
)


def _is_sign_off(prompt: str, m: re.Match[str]) -> bool:
    """ "From the Lopez family" on a card; never "ships from Berlin" or "from Monday"."""
    who = m.group("who")
    first = _low(who.split()[-1] if who.lower().startswith("the ") and len(who.split()) == 2 else who.split()[0])
    if re.fullmatch(pat.MONTHS, first) or re.fullmatch(pat.WEEKDAY_NAMES, first):
        return False
    opener = _low(m.group(0).split()[0])
    signed = opener != "from" or " from " in m.group(0).lower()
    grouped = _low(who.split()[-1]) in ("family", "team", "crew", "household", "gang") or _low(who.split()[0]) == "team"
    return signed or grouped or _CARD_WORDS.search(prompt) is not None


def extract(prompt: str) -> Copy:
    """Every piece of copy in ``prompt``, in prompt order."""
    reader = _Reader(prompt)
    _quoted(reader)
    for m in reader.each(pat.NAMED_DAY):
        reader.take("title", m.start(), m.end(), " ".join(w[:1].upper() + w[1:] for w in m.group(0).split()))
    for m in reader.each(pat.DOC_TITLE):
        reader.take("doc", m.start(), m.end(), " ".join(_title_word(w) for w in m.group(0).split()))
    reader.simple("email", pat.EMAIL)
    reader.simple("web", pat.WEB)
    reader.simple("cta", pat.CTA)
    for m in reader.each(pat.CODE):
        if _code_token(m):
            reader.take("code", m.start(), m.end(), f"code {m.group('token')}")
    reader.simple("fine", pat.FINE)
    reader.simple("offer", pat.OFFER)
    reader.simple("date", pat.DATE)
    reader.simple("time", pat.TIME)
    reader.simple("count", pat.COUNT)
    reader.simple("seat", pat.SEAT)
    for m in reader.each(pat.SIGN_OFF):
        if _is_sign_off(reader.prompt, m):
            reader.take("signoff", m.start(), m.end(), m.group(0))
    reader.simple("address", pat.ADDRESS)
    reader.simple("phone", pat.PHONE, lambda m: sum(ch.isdigit() for ch in m.group(0)) >= 7)
    for m in reader.each(pat.VENUE):
        venue = m.group("venue")
        run = (
            (m.start("venue"), m.end("venue"), venue)
            if venue.startswith(("The ", "the "))
            else _run(venue, m.start("venue"))
        )
        if run:
            reader.take("venue", *run, blank=(m.start(), run[1]))
    for m in reader.each(pat.TAGLINE_LABEL):
        reader.take("tagline", m.start("text"), m.end("text"), m.group("text"), blank=(m.start(), m.end()))
    reader.simple("weekday", pat.WEEKDAY, _weekday_not_in_name(reader))
    reader.simple("occasion", pat.OCCASION, _not_in_a_name(reader))
    _names(reader)
    reader.simple("weekday", pat.WEEKDAY)
    reader.simple("occasion", pat.OCCASION)
    _descriptor(reader)
    items = sorted(reader.items, key=lambda i: (i.start, KINDS.index(i.kind)))
    if not any(i.kind == "name" for i in items):
        # no name given: the first title or occasion heads the design ("Flash Sale"), never a
        # subject word the engine would otherwise make up
        lead = next((i for i in items if i.kind in ("title", "occasion")), None)
        if lead is not None:
            items[items.index(lead)] = CopyItem("name", lead.text, lead.start, lead.end)
    return Copy(items=tuple(items), remainder=reader.rest)
