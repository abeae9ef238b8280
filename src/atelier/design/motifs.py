"""Motifs from Material Design Icons (Pictogrammers, Apache-2.0; 7,000+ icons shipped by the
``material-design-icons-pack`` package), chosen by the subject's words and their synonyms.

A curated table maps subjects to the icons a designer would reach for (a coffee shop gets a
cup, a law firm scales or a column); other words match icon names directly ("bicycle repair"
→ ``bicycle``). When nothing matches, the caller draws a typographic mark instead: never a
random icon."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

import material_design_icons_pack as mdi

ICON_SET = "Material Design Icons"
ICON_LICENSE = "Apache-2.0 (Pictogrammers Free License)"

#: concept → icons in order of preference; the variation picks among the first few.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "coffee": ("coffee", "coffee-outline", "cup", "coffee-maker"),
    "tea": ("tea", "cup", "kettle"),
    "bakery": ("baguette", "food-croissant", "cupcake", "bread-slice"),
    "cake": ("cake-variant", "cupcake", "cake-layered"),
    "restaurant": ("silverware-fork-knife", "food", "chef-hat"),
    "pizza": ("pizza",),
    "burger": ("hamburger",),
    "wine": ("glass-wine", "bottle-wine", "glass-flute"),
    "beer": ("beer", "glass-mug-variant"),
    "cocktail": ("glass-cocktail", "glass-flute"),
    "law": ("scale-balance", "gavel", "pillar", "bank"),
    "finance": ("finance", "chart-line", "bank", "cash-multiple"),
    "bank": ("bank", "piggy-bank", "safe"),
    "insurance": ("shield-check", "umbrella", "shield-home"),
    "jazz": ("saxophone", "trumpet", "music"),
    "music": ("music", "music-note", "headphones", "guitar-acoustic"),
    "rock": ("guitar-electric", "music", "microphone-variant"),
    "dance": ("human-female-dance", "music", "disc"),
    "dj": ("headphones", "music", "speaker"),
    "fitness": ("heart-pulse", "dumbbell", "run-fast", "weight-lifter"),
    "gym": ("dumbbell", "weight-lifter", "arm-flex"),
    "running": ("run-fast", "run", "shoe-sneaker"),
    "yoga": ("yoga", "meditation", "spa"),
    "health": ("heart-pulse", "medical-bag", "hospital-box"),
    "medical": ("medical-bag", "stethoscope", "hospital-box"),
    "dental": ("tooth", "tooth-outline"),
    "wedding": ("ring", "heart-multiple", "flower-tulip", "glass-flute"),
    "love": ("heart", "heart-multiple"),
    "birthday": ("cake-variant", "gift", "party-popper"),
    "party": ("party-popper", "glass-cocktail", "balloon"),
    "festival": ("party-popper", "ticket", "music"),
    "nature": ("leaf", "pine-tree", "sprout", "flower"),
    "plant": ("sprout", "leaf", "flower"),
    "fern": ("leaf", "sprout", "pine-tree"),
    "flower": ("flower", "flower-tulip", "flower-poppy"),
    "garden": ("flower", "sprout", "shovel"),
    "eco": ("leaf", "recycle", "earth"),
    "farm": ("barn", "tractor", "sprout"),
    "mountain": ("image-filter-hdr", "pine-tree", "hiking"),
    "travel": ("airplane", "compass", "map-marker", "bag-suitcase"),
    "beach": ("beach", "palm-tree", "waves"),
    "ocean": ("waves", "fish", "sail-boat"),
    "tech": ("chip", "code-braces", "rocket-launch", "lightning-bolt"),
    "software": ("code-braces", "laptop", "console"),
    "ai": ("robot", "brain", "chip"),
    "robot": ("robot", "robot-industrial", "chip"),
    "startup": ("rocket-launch", "lightbulb-on", "lightning-bolt"),
    "energy": ("lightning-bolt", "solar-power", "battery-charging"),
    "science": ("flask", "atom", "microscope"),
    "education": ("school", "book-open-variant", "pencil"),
    "book": ("book-open-variant", "bookshelf", "book"),
    "photo": ("camera", "camera-iris", "image"),
    "film": ("movie-open", "filmstrip", "video-vintage"),
    "art": ("palette", "brush", "draw"),
    "design": ("palette-swatch", "vector-square", "brush"),
    "fashion": ("hanger", "tshirt-crew", "shopping"),
    "beauty": ("lipstick", "hair-dryer", "spa"),
    "barber": ("content-cut", "mustache", "razor-double-edge"),
    "pet": ("paw", "dog", "cat"),
    "dog": ("dog", "paw", "dog-side"),
    "cat": ("cat", "paw"),
    "home": ("home", "home-city", "key"),
    "real_estate": ("home-city", "home", "key"),
    "construction": ("hammer-wrench", "crane", "hard-hat"),
    "car": ("car", "car-sports", "steering"),
    "bike": ("bike", "bicycle", "bike-fast"),
    "sport": ("trophy", "soccer", "basketball"),
    "soccer": ("soccer", "soccer-field"),
    "game": ("gamepad-variant", "controller", "dice-5"),
    "shop": ("shopping", "storefront", "cart"),
    "delivery": ("truck-fast", "package-variant", "moped"),
    "security": ("shield-lock", "lock", "shield-check"),
    "cloud": ("cloud", "cloud-outline"),
    "chat": ("chat", "message-text", "forum"),
    "star": ("star-four-points", "star", "creation"),
    "crown": ("crown", "diamond-stone"),
    "jewelry": ("diamond-stone", "ring", "crown"),
    "space": ("rocket", "telescope", "orbit"),
    "kids": ("teddy-bear", "balloon", "puzzle"),
    "church": ("church", "cross"),
    "charity": ("hand-heart", "heart", "charity"),
    "weather": ("weather-partly-cloudy", "weather-sunny", "umbrella"),
    "shoe": ("shoe-sneaker", "shoe-formal", "shoe-heel"),
    "roof": ("home-roof", "home", "hammer"),
    "cinema": ("filmstrip", "movie-open", "popcorn"),
    "podcast": ("microphone", "podcast", "headphones"),
    "fruit": ("food-apple", "fruit-cherries", "fruit-citrus"),
    "taco": ("taco", "chili-mild", "silverware-fork-knife"),
    "pottery": ("pot-mix", "palette"),
    "audio": ("headphones", "speaker", "music"),
    "sale": ("tag", "sale", "shopping"),
}

#: subject words → concept (besides every concept's own name)
SYNONYMS: dict[str, str] = {
    **{w: "coffee" for w in ("cafe", "café", "espresso", "latte", "barista", "roastery", "roaster", "cappuccino")},
    **{w: "bakery" for w in ("bread", "pastry", "patisserie", "croissant", "baker", "bakehouse")},
    **{w: "cake" for w in ("cakes", "cupcake", "cupcakes", "dessert", "sweets", "confectionery")},
    **{w: "restaurant" for w in ("bistro", "diner", "kitchen", "food", "catering", "eatery", "grill", "chef")},
    **{w: "wine" for w in ("winery", "vineyard", "sommelier")},
    **{w: "beer" for w in ("brewery", "pub", "brewing", "taproom")},
    **{w: "cocktail" for w in ("bar", "lounge", "cocktails")},
    **{w: "law" for w in ("legal", "attorney", "attorneys", "lawyer", "lawyers", "justice", "court", "solicitors")},
    **{w: "finance" for w in ("accounting", "accountant", "investment", "investing", "fintech", "wealth", "tax")},
    "banking": "bank",
    **{w: "music" for w in ("concert", "band", "song", "orchestra", "choir", "album", "records", "melody")},
    **{w: "jazz" for w in ("blues", "swing", "saxophone", "bebop")},
    **{w: "fitness" for w in ("tracker", "workout", "exercise", "training", "crossfit", "wellness", "cardio")},
    **{w: "gym" for w in ("weights", "strength", "bodybuilding", "powerlifting")},
    **{w: "running" for w in ("run", "runner", "marathon", "jogging")},
    **{w: "yoga" for w in ("meditation", "pilates", "mindfulness")},
    **{w: "medical" for w in ("clinic", "doctor", "hospital", "pharmacy", "care", "healthcare")},
    **{w: "dental" for w in ("dentist", "dentistry", "teeth", "orthodontics")},
    **{w: "wedding" for w in ("marriage", "engagement", "bride", "bridal", "anniversary", "nuptials")},
    **{w: "love" for w in ("valentine", "dating", "romance")},
    **{w: "nature" for w in ("organic", "botanical", "green", "leaf", "forest", "natural")},
    **{w: "plant" for w in ("plants", "nursery", "greenhouse", "succulent")},
    **{w: "flower" for w in ("florist", "floral", "flowers", "bloom", "blossom")},
    **{w: "eco" for w in ("sustainable", "sustainability", "recycling", "environment", "climate")},
    **{w: "mountain" for w in ("hiking", "outdoor", "outdoors", "camping", "adventure", "alpine", "ski")},
    **{w: "travel" for w in ("tourism", "trip", "agency", "airline", "vacation", "holiday", "tours")},
    **{w: "ocean" for w in ("sea", "surf", "surfing", "marine", "sailing", "boat")},
    **{w: "tech" for w in ("technology", "digital", "saas", "cyber", "data", "platform")},
    **{w: "software" for w in ("developer", "developers", "coding", "code", "programming", "devops")},
    **{w: "ai" for w in ("artificial", "intelligence", "machine", "ml")},
    **{w: "robot" for w in ("robotics", "automation")},
    **{w: "energy" for w in ("electric", "power", "solar", "battery", "charging")},
    **{w: "science" for w in ("lab", "labs", "laboratory", "chemistry", "research", "biotech")},
    **{w: "education" for w in ("school", "academy", "tutoring", "learning", "university", "college", "course")},
    **{w: "book" for w in ("books", "bookstore", "library", "publishing", "author", "reading")},
    **{w: "photo" for w in ("photography", "photographer", "studio", "camera")},
    **{w: "film" for w in ("movie", "cinema", "video", "films")},
    **{w: "art" for w in ("gallery", "painting", "artist", "illustration")},
    **{w: "fashion" for w in ("clothing", "apparel", "boutique", "streetwear", "tailor")},
    **{w: "beauty" for w in ("salon", "cosmetics", "makeup", "skincare", "spa", "nails")},
    **{w: "barber" for w in ("barbershop", "haircut", "hair")},
    **{w: "pet" for w in ("pets", "veterinary", "vet", "grooming", "animal", "animals")},
    **{w: "dog" for w in ("dogs", "puppy", "canine")},
    **{w: "cat" for w in ("cats", "kitten", "feline")},
    **{w: "real_estate" for w in ("estate", "realty", "realtor", "property", "properties", "housing", "mortgage")},
    **{w: "home" for w in ("house", "interior", "furniture", "homes")},
    **{w: "construction" for w in ("builder", "builders", "plumbing", "plumber", "repair", "handyman", "renovation")},
    **{w: "car" for w in ("auto", "automotive", "garage", "cars", "mechanic", "dealership")},
    **{w: "bike" for w in ("cycling", "bicycle", "cyclist")},
    **{w: "sport" for w in ("sports", "league", "tournament", "championship", "team")},
    **{w: "soccer" for w in ("football",)},
    **{w: "game" for w in ("gaming", "games", "esports", "gamer")},
    **{w: "shop" for w in ("store", "ecommerce", "retail", "market", "marketplace", "shopping")},
    **{w: "delivery" for w in ("logistics", "shipping", "courier", "moving", "freight")},
    **{w: "security" for w in ("secure", "privacy", "protection", "guard", "cybersecurity")},
    **{w: "chat" for w in ("messaging", "social", "community", "podcast")},
    **{w: "jewelry" for w in ("jewellery", "jeweler", "jeweller", "jewels", "jewel", "diamond", "diamonds", "gem")},
    **{w: "space" for w in ("astronomy", "rocket", "galaxy", "cosmos", "planet")},
    **{w: "kids" for w in ("children", "child", "toy", "toys", "baby", "nursery")},
    **{w: "charity" for w in ("nonprofit", "donation", "volunteer", "foundation")},
    **{w: "festival" for w in ("fest", "carnival", "fair")},
    **{w: "party" for w in ("celebration", "gala", "night")},
    **{w: "church" for w in ("faith", "ministry", "chapel")},
    **{w: "weather" for w in ("forecast", "rain", "sunny", "climate")},
    **{w: "shoe" for w in ("sneaker", "sneakers", "shoes", "trainers", "footwear")},
    **{w: "roof" for w in ("roofing", "roofer", "roofers")},
    **{w: "cinema" for w in ("movies", "screening")},
    **{w: "podcast" for w in ("podcasts", "episode", "radio")},
    **{w: "fruit" for w in ("apple", "apples", "orchard", "cherry", "lemon")},
    **{w: "taco" for w in ("tacos", "taqueria", "mexican", "burrito")},
    **{w: "pottery" for w in ("ceramics", "ceramic", "clay")},
    **{w: "audio" for w in ("headphones", "speakers", "hifi", "sound")},
}
#: Words that name icons but say nothing about a subject; never matched by name.
_GENERIC = frozenset(
    [
        "shop",
        "firm",
        "company",
        "brand",
        "business",
        "logo",
        "new",
        "app",
        "account",
        "card",
        "post",
        "text",
        "image",
        "format",
        "view",
        "file",
        "folder",
        "help",
        "information",
        "alert",
        "check",
        "plus",
        "minus",
        "close",
        "menu",
        "star",
        "cup",
        "tracker",
        "night",
        "day",
    ]
)


@lru_cache(maxsize=1)
def brand_slugs() -> frozenset[str]:
    """Icons that are third parties' logos (the set marks them deprecated, as trademarks):
    never drawn for a subject word, so "apple" is fruit and a "™" draws nobody's logo."""
    return frozenset(
        icon.slug
        for name in dir(mdi)
        if name.isupper() and isinstance(icon := getattr(mdi, name), mdi.Icon) and icon.deprecated
    )


@dataclass(frozen=True)
class Motif:
    slug: str
    concept: str
    paths: tuple[str, ...]
    view: tuple[float, float, float, float]


@lru_cache(maxsize=1)
def slugs() -> frozenset[str]:
    return frozenset(
        icon.slug for name in dir(mdi) if name.isupper() and isinstance(icon := getattr(mdi, name), mdi.Icon)
    )


@lru_cache(maxsize=512)
def load(slug: str) -> Motif | None:
    if slug in brand_slugs():
        return None
    icon = mdi.get_icon(slug)
    if icon is None:
        return None
    view_match = re.search(r'viewBox="([-\d.\s]+)"', icon.svg)
    numbers = [float(v) for v in view_match.group(1).split()] if view_match else [0.0, 0.0, 24.0, 24.0]
    paths = tuple(re.findall(r'\bd="([^"]+)"', icon.svg))
    if not paths or len(numbers) != 4:
        return None
    return Motif(slug, slug, paths, (numbers[0], numbers[1], numbers[2], numbers[3]))


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def concept_for(words: list[str] | tuple[str, ...]) -> str | None:
    """The first concept the subject's words name, directly or through a synonym."""
    for word in words:
        for candidate in (word, _singular(word)):
            if candidate in CONCEPTS:
                return candidate
            if candidate in SYNONYMS:
                return SYNONYMS[candidate]
    return None


def _by_name(words: list[str] | tuple[str, ...]) -> str | None:
    """An icon named after a subject word ("bicycle", "violin"), base form preferred."""
    names = slugs() - brand_slugs()
    for word in words:
        single = _singular(word)
        if single in _GENERIC or len(single) < 3:
            continue
        # the word as written too: "sunglasses" is an icon, "sunglasse" is no word
        for candidate in dict.fromkeys((single, word, f"{single}-variant", f"{single}-outline")):
            if candidate in names:
                return candidate
    return None


def choose(words: list[str] | tuple[str, ...], variation: int = 0) -> Motif | None:
    """The icon for the subject; variations alternate between the concept's first icons.
    Never a third party's logo (see :func:`brand_slugs`)."""
    names = slugs() - brand_slugs()
    for first, second in itertools.pairwise(words):
        for slug in (f"{first}-{second}", f"food-{first}-{second}"):
            if slug in names and (motif := load(slug)) is not None:
                return motif
    concept = concept_for(words)
    if concept is not None:
        options = [slug for slug in CONCEPTS[concept] if not slug.endswith("-outline")]
        options = [s for s in options if load(s) is not None][:2] or [
            s for s in CONCEPTS[concept] if load(s) is not None
        ]
        if options:
            motif = load(options[(variation // 2) % len(options)])
            assert motif is not None
            return Motif(motif.slug, concept, motif.paths, motif.view)
    named = _by_name(words)
    return load(named) if named else None
