"""The patterns the copy extractor reads a prompt with, one per kind of copy.

Each is tried on the prompt with the spans of the kinds before it blanked, so order matters
(see :data:`atelier.design.copy.ORDER`)."""

from __future__ import annotations

import re

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s*\d{4})?"
_DASH = r"\s*(?:[-–—]|to|through|thru|until|till)\s*"
WEEKDAY_NAMES = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
_WEEKDAY_ABBR = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?"
_MONTH_DAY = rf"{MONTHS}\s+{_DAY}"
_DAY_MONTH = rf"{_DAY}\s+(?:of\s+)?{MONTHS}"

#: "March 3–5", "Dec 24 - Jan 2", "3–5 March 2026", "June 21", "2026-06-21", "6/21/26",
#: with an optional weekday in front ("Sat, June 21").
DATE = re.compile(
    rf"\b(?:(?:{WEEKDAY_NAMES}|{_WEEKDAY_ABBR}),?\s+)?"
    rf"(?:{_MONTH_DAY}(?:{_DASH}(?:{_MONTH_DAY}|{_DAY}(?!\s*(?::|am|pm|%))))?{_YEAR}"
    rf"|{_DAY}{_DASH}{_DAY_MONTH}{_YEAR}|{_DAY_MONTH}(?:{_DASH}{_DAY_MONTH})?{_YEAR}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|{MONTHS}\s+\d{{4}})\b\.?",
    re.IGNORECASE,
)
_CLOCK = r"\d{1,2}(?::\d{2})?"
#: "7pm", "7–11 pm", "7:30 pm to midnight", "19:00", "noon".
TIME = re.compile(
    rf"\b(?:{_CLOCK}\s*(?:am|pm)?{_DASH}(?:{_CLOCK}\s*(?:am|pm)\b|midnight|noon|late)"
    rf"|{_CLOCK}\s*(?:am|pm)\b(?:{_DASH}(?:midnight|late|close))?|\d{{1,2}}:\d{{2}}\b|(?-i:noon|midnight)\b)",
    re.IGNORECASE,
)
#: A weekday or a range of them; "Black Friday" is a name and is read before this runs.
WEEKDAY = re.compile(
    rf"\b(?:(?:every|this|next)\s+)?(?:{WEEKDAY_NAMES}|{_WEEKDAY_ABBR})(?:{_DASH}(?:{WEEKDAY_NAMES}|{_WEEKDAY_ABBR}))?\b",
    re.IGNORECASE,
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
_TLDS = r"(?:com|org|net|io|co|dev|app|shop|store|uk|de|fr|es|it|nl|info|biz|me|studio|design|art|cafe|xyz|ai|ca|au|us)"
WEB = re.compile(
    rf"\b(?:https?://)?(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.{_TLDS}\b(?:/[^\s,;]*[^\s,;.!?])?",
    re.IGNORECASE,
)
#: "+1 (555) 014-2200", "020 7946 0958", "555-0142": at least seven digits.
PHONE = re.compile(r"(?<![\w+.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}(?![\w%])")
CTA = re.compile(
    rf"\b(?:rsvp(?:\s+by\s+(?:{_MONTH_DAY}|{_DAY_MONTH}))?|book\s+(?:now|today|online|your\s+\w+)"
    r"|(?:buy|shop|order|call|register|apply|donate|enrol|enroll|subscribe|download|reserve|join)\s+(?:now|today|online)"
    r"|sign\s+up(?:\s+(?:now|today))?|get\s+(?:your\s+)?tickets(?:\s+now)?|reserve\s+your\s+(?:seat|spot|table|place)"
    r"|learn\s+more|visit\s+us(?:\s+today)?|join\s+us|swipe\s+up|link\s+in\s+bio|free\s+entry|free\s+admission"
    r"|admits?\s+(?:one|two|three|four|\d{1,2}))\b",
    re.IGNORECASE,
)
CODE = re.compile(
    r"\b(?:(?:use|with|enter|apply)\s+)?(?:(?:promo|discount|coupon|voucher)\s+)?(?:code|coupon|voucher)\s*:?\s*"
    r"(?P<token>[A-Z0-9][A-Z0-9-]{2,19})\b",
    re.IGNORECASE,
)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+(?:\.\d{2})?"
_MONEY = rf"(?:[$€£¥]\s?(?:{_NUMBER})|(?:{_NUMBER})\s?(?:[$€£](?!\s?\d)|(?:usd|eur|gbp|dollars|euros|pounds)\b))"
#: Words that end what an offer applies to ("20% off shoes with code…", "50% off today only").
_NOT_SCOPE = r"(?!(?:with|code|on|for|at|until|till|ends?|today|tonight|this|and|or|in|the|when|use|by|from|plus)\b)"
_SCOPE = (
    r"(?:\s+(?:all|everything|every|any|storewide|sitewide|selected|your\s+first)\b"
    rf"(?:\s+{_NOT_SCOPE}[a-z][a-z-]+)?|\s+{_NOT_SCOPE}[a-z][a-z-]+)?"
    r"(?:\s+for\s+(?:members|students|subscribers|everyone|seniors|kids|new\s+customers|first-time\s+buyers))?"
)
OFFER = re.compile(
    rf"\b(?:(?:up\s+to|save|extra|get)\s+)?(?:\d{{1,3}}\s?%\s*(?:off|discount)|{_MONEY}\s+off|half\s+price|half\s+off){_SCOPE}"
    rf"|\b(?:buy\s+one,?\s+get\s+one(?:\s+free)?|bogo|free\s+(?:shipping|delivery|gift\s+wrapping|coffee|drinks?|dessert"
    r"|samples?|parking|consultation|trial|class|lesson|gift))\b"
    r"|\b(?:dinner|lunch|brunch|breakfast|afternoon\s+tea|a\s+massage|massage|a\s+meal|drinks|a\s+night)\s+for\s+(?:two|2|four|4)\b"
    r"|\b(?:today|tonight|this\s+week(?:end)?)\s+only\b|\blimited\s+time(?:\s+only)?\b|\bwhile\s+(?:stocks|supplies)\s+last\b"
    rf"|\bends\s+(?:tonight|today|soon|midnight|{WEEKDAY_NAMES}|{MONTHS}\s+\d{{1,2}})\b"
    rf"|\b\d{{1,2}}\s+[a-z]+\s+for\s+{_MONEY}"
    rf"|(?:\b(?:from|only|just|starting\s+at|now)\s+)?{_MONEY}(?:\s*(?:/|per)\s*(?:month|mo|person|night|hour))?",
    re.IGNORECASE,
)
_SALE_WORDS = (
    r"end[- ]of[- ]season|flash|clearance|summer|winter|spring|autumn|fall|holiday|christmas|easter"
    r"|anniversary|closing[- ]down|grand|big|annual|weekend|boxing\s+day|new\s+year|warehouse|sample|bake|yard|garage"
)
OCCASION = re.compile(
    rf"\b(?:(?:{_SALE_WORDS})\s+)?(?:sale|sales\s+event|grand\s+opening|open\s+house)\b", re.IGNORECASE
)
COUNT = re.compile(
    r"\b(?:turning\s+\d{1,3}|\d{1,3}(?:st|nd|rd|th)\s+(?:birthday|anniversary|edition|year)"
    r"|(?:celebrating\s+)?\d{1,3}\s+years?(?:\s+(?:old|young|of\s+[a-z]+|in\s+business|together))?"
    r"|(?:since|est\.?|established)\s+\d{4}|(?:only\s+)?\d{1,5}\+?\s+(?:seats|spots|places|tickets|guests)(?:\s+left)?"
    r"|(?:for\s+)?the\s+first\s+\d{1,5}\s+(?:guests|customers|visitors|people|orders))\b",
    re.IGNORECASE,
)
_STREET = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Square|Sq|Place|Pl|Court|Ct|Row|Terrace)"
)
_NOT_A_TOWN = rf"(?!(?:{WEEKDAY_NAMES}|{MONTHS})\b)"
ADDRESS = re.compile(
    rf"\b\d{{1,5}}[A-Za-z]?\s+(?:[A-Z][\w'’-]*\s+){{1,3}}{_STREET}\b\.?"
    rf"(?:,\s*(?i:{_NOT_A_TOWN})[A-Z][a-z]+(?:\s+(?i:{_NOT_A_TOWN})[A-Z][a-z]+)?)?"
)
_NAME_WORD = r"[A-Z][\w'’&.™®-]*"
VENUE = re.compile(
    rf"(?:\bat|@|\bvenue:?|\blocation:?|\bheld\s+at)\s+(?P<venue>(?:[Tt]he\s+)?{_NAME_WORD}"
    rf"(?:\s+(?:&\s+|of\s+|the\s+|on\s+|de\s+)?{_NAME_WORD}){{0,5}})"
)
TAGLINE_LABEL = re.compile(
    r"\b(?:tagline|slogan|motto|subtitle|strapline|subline)\s*[:=–—-]\s*(?P<text>[^,;.!?\"“‘']{2,60})", re.IGNORECASE
)
#: Quoted copy. An apostrophe between two letters ("didn't") never closes a single quote.
QUOTED = re.compile(
    r"\"(?P<d>[^\"]{1,80})\"|“(?P<c>[^”]{1,80})”|‘(?P<s>(?:[^’\n]|(?<=\w)’(?=\w)){1,80}?)’(?!\w)"
    r"|(?<![\w'])'(?P<a>(?:[^'\n]|(?<=\w)'(?=\w)){1,80}?)'(?!\w)"
)
QUOTE_LABEL = re.compile(r"\b(?:tagline|slogan|motto|subtitle|strapline|subline|saying|reading)\s*[:=]?\s*$", re.I)
NAMED_AS = re.compile(
    rf"\b(?:called|named|titled|brand|for)\s+(?P<name>(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?\s+)?{_NAME_WORD}"
    rf"(?:\s+(?:&\s+|and\s+|of\s+|the\s+|de\s+)?{_NAME_WORD}){{0,5}})"
)
CAPS = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?\s+)?\b[A-Z][\w'’™®-]*(?:\s+(?:&\s+|and\s+|of\s+|the\s+|de\s+)?[A-Z][\w'’™®-]*)*"
)
#: A job title right after a name ("Dr. Maria Lopez, pediatric dentist"); matched at the name's end.
DESCRIPTOR = re.compile(r"\s*[,–—-]\s*(?P<text>[A-Za-z][A-Za-z'’ &-]{2,40}?)\s*(?=[,.;:!?(]|$)")
#: A capitalised run ending so is a place ("Rosewood Manor"), unless it is the only name.
VENUE_WORDS = frozenset(
    {"manor", "hall", "hotel", "room", "rooms", "park", "gardens", "club", "centre", "center", "church", "theatre"}
    | {"theater", "barn", "estate", "arena", "stadium", "lounge", "cellar", "pavilion", "gallery", "library"}
    | {"bar", "pub", "inn", "tavern", "ballroom", "chapel", "cathedral", "museum", "auditorium", "terrace"}
)
TITLE_ENDINGS = (
    *("ist", "er", "or", "ian", "ant", "ent", "ect", "eur", "ceo", "cto", "cfo", "founder", "chef", "surgeon"),
    *("coach", "nurse", "agent", "broker", "smith", "wright", "artisan", "partner", "director", "lead", "host"),
)
#: Label words before contact details ("phone", "web:"): never a subject, never set twice.
LABEL = re.compile(
    r"(?:phone|tel|telephone|call|mobile|cell|e-?mail|web|website|site|url|address|venue)\s*[:.]?\s*$", re.I
)
#: Where a ticket holder sits or enters: "Row C", "seat 12", "Gate B".
SEAT = re.compile(r"\b(?i:row|seat|gate|section|block|table|stand)\s+(?:\d{1,4}[A-Z]?|[A-Z]\d{0,3})\b(?!['’])")
#: What a document is ("certificate of achievement", "gift voucher"): copy, and its type too.
DOC_TITLE = re.compile(
    r"\b(?:certificate\s+of\s+(?:achievement|completion|appreciation|excellence|attendance|participation|recognition)"
    r"|(?:gift|spa|dining|restaurant|travel)\s+(?:voucher|certificate|card)|award\s+of\s+(?:excellence|merit)"
    r"|diploma|employee\s+of\s+the\s+(?:month|year))\b",
    re.IGNORECASE,
)
#: Days with names of their own, however they are cased ("cyber monday" is no weekday).
NAMED_DAY = re.compile(
    r"\b(?:black\s+friday|cyber\s+monday|small\s+business\s+saturday|giving\s+tuesday|boxing\s+day"
    r"|taco\s+tuesday|super\s+bowl\s+sunday|good\s+friday|easter\s+sunday|mother's\s+day|father's\s+day"
    r"|valentine's\s+day|new\s+year's\s+eve|christmas\s+eve|christmas\s+day|halloween|thanksgiving)\b",
    re.IGNORECASE,
)
_UNTIL = (
    rf"(?:{MONTHS}\s+{_DAY}{_YEAR}|{_DAY_MONTH}{_YEAR}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|{MONTHS}\s+\d{{4}}"
    r"|the\s+end\s+of\s+\w+)"
)
#: The small print of an offer or a ticket: validity, terms, age limits, a dress code.
FINE = re.compile(
    rf"\b(?:valid\s+(?:until|till|through|thru|to)\s+{_UNTIL}|expires\s+{_UNTIL}"
    r"|(?:t&cs?|t\s*&\s*c|terms(?:\s+(?:and|&)\s+conditions)?)\s+apply|no\s+cash\s+value|one\s+per\s+customer"
    r"|not\s+valid\s+with\s+(?:any\s+)?other\s+offers?|(?:strictly\s+)?(?:over\s+)?1[68]\+(?:\s+only)?"
    r"|dress\s+code:?\s+[a-z][a-z -]{1,24}?(?=[,.;!?]|$)|non-?refundable|subject\s+to\s+availability)",
    re.IGNORECASE,
)
#: Who a card is from: "from the Lopez family", "love, Tom & Ana", "with thanks from Team Nova".
#: Read after offers, dates and times, so "from $899" and "from 10am" are never a sign-off.
SIGN_OFF = re.compile(
    rf"\b(?:(?:with\s+(?:love|thanks)\s+)?from|love,?|xoxo,?|yours,?|cheers,?)\s+"
    rf"(?P<who>(?:the\s+)?{_NAME_WORD}(?:\s+(?:&\s+|and\s+)?{_NAME_WORD}){{0,3}}"
    r"(?:\s+(?:family|team|crew|household|gang))?)(?![\w'’])"
)
