"""The words of a prompt that say what a design is and how it should look, never what it says:
design types, styles, moods, and the small words around them."""

from __future__ import annotations

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

TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "icon": ("app icon", "icon", "favicon", "app logo"),
    "card": ("business card", "invitation", "invite", "greeting card", "card", "certificate", "menu card"),
    "badge": ("badge", "emblem", "seal", "crest", "patch", "sticker"),
    "banner": ("banner", "header", "cover photo", "billboard", "leaderboard", "hero image", "twitter header"),
    "social": ("social post", "social media", "instagram", "facebook post", "linkedin post", "post", "story", "tweet"),
    "poster": ("poster", "flyer", "leaflet", "brochure"),
    "logo": ("logo", "logotype", "wordmark", "brand mark", "monogram", "brand identity"),
}
STYLE_WORDS: dict[str, tuple[str, ...]] = {
    "modern": ("modern", "sleek", "futuristic", "contemporary", "tech", "startup", "app"),
    "corporate": ("corporate", "professional", "business", "law", "legal", "finance", "consulting", "bank"),
    "creative": ("creative", "playful", "artsy", "quirky", "fun", "kids", "whimsical", "hand-drawn"),
    "minimalist": ("minimalist", "minimal", "simple", "clean", "flat"),
    "vibrant": ("vibrant", "bold", "colorful", "colourful", "energetic", "neon", "festival", "party", "bright"),
    "elegant": ("elegant", "luxury", "luxurious", "classy", "wedding", "refined", "premium", "boutique", "classic"),
}
MOODS: dict[str, tuple[str, ...]] = {
    "energetic": ("energetic", "dynamic", "sport", "sports", "fitness", "gym", "party", "festival", "workout", "race"),
    "calm": ("calm", "serene", "peaceful", "spa", "relax", "yoga", "meditation", "wellness"),
    "warm": ("warm", "cozy", "cosy", "coffee", "bakery", "cafe", "café", "restaurant", "kitchen"),
    "serious": ("law", "legal", "finance", "trust", "serious", "insurance", "bank", "accounting"),
    "playful": ("playful", "kids", "toy", "toys", "pet", "pets", "fun", "candy", "game"),
    "luxurious": ("luxury", "wedding", "jewelry", "jewellery", "premium", "gala", "elegant"),
    "fresh": ("fresh", "organic", "eco", "garden", "green", "fern", "plant", "vegan", "farm"),
}
STOP = frozenset(
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
VOCAB = frozenset(
    {w for words in TYPE_WORDS.values() for p in words for w in p.split()}
    | set(STYLES)
    | {"app", "media", "image", "graphic", "style", "colors", "colours", "color", "colour", "palette", "pastel"}
    | {"sleek", "futuristic", "contemporary", "professional", "playful", "artsy", "quirky", "minimal", "simple"}
    | {"clean", "flat", "bold", "colorful", "colourful", "energetic", "neon", "bright", "classy", "refined"}
    | {"premium", "classic", "luxurious", "whimsical", "hand-drawn", "cute", "beautiful", "nice", "cool", "tones"}
    # how it should look, never what it is called: "logo with blue and purple gradient"
    | {"gradient", "gradients", "glow", "glowing", "glossy", "shiny", "metallic", "matte", "vector", "3d"}
    | {"shadow", "shadows", "textured", "texture", "duotone", "monochrome", "monochromatic", "outline", "outlined"}
)
