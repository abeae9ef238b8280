"""The words of a prompt that say what a design is and how it should look, never what it says:
design types, styles, moods, and the small words around them."""

from __future__ import annotations

DESIGN_TYPES = (
    *("logo", "icon", "badge", "banner", "social", "poster", "card"),
    # the formats people order, each with layouts of its own (design/formats/)
    *("business_card", "ticket", "invitation", "certificate", "menu", "email_header", "thumbnail", "cover"),
    *("app_icon", "monogram"),
)
STYLES = ("modern", "corporate", "creative", "minimalist", "vibrant", "elegant")
#: Names other contracts use for the same design types (Pixova's flyer, OpenAI-ish words).
TYPE_ALIASES = {
    "flyer": "poster",
    "leaflet": "poster",
    "social post": "social",
    "social_post": "social",
    "post": "social",
    "instagram": "social",
    "business card": "business_card",
    "invite": "invitation",
    "app icon": "app_icon",
    "emblem": "badge",
    "header": "banner",
    "voucher": "certificate",
    "gift card": "certificate",
    "gift_card": "certificate",
    "email header": "email_header",
    "newsletter header": "email_header",
    "video thumbnail": "thumbnail",
    "youtube thumbnail": "thumbnail",
    "cover art": "cover",
    "podcast cover": "cover",
    "album cover": "cover",
}

TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "app_icon": ("app icon", "app logo", "launcher icon"),
    "icon": ("icon", "favicon"),
    "business_card": ("business card", "visiting card", "name card"),
    "invitation": ("invitation", "invite", "save the date"),
    "ticket": ("ticket", "admission pass", "boarding pass", "raffle ticket"),
    "certificate": ("certificate", "voucher", "gift card", "diploma", "award"),
    "menu": ("menu", "menu card", "price list"),
    "email_header": ("email header", "newsletter header", "e-mail header", "email banner"),
    "thumbnail": ("thumbnail", "youtube thumbnail", "video thumbnail"),
    "cover": ("cover art", "podcast cover", "album cover", "album art", "podcast art", "playlist cover", "ep cover"),
    "monogram": ("monogram",),
    "card": ("greeting card", "card", "postcard", "thank you card"),
    "badge": ("badge", "emblem", "seal", "crest", "patch", "sticker"),
    "banner": ("banner", "header", "cover photo", "billboard", "leaderboard", "hero image", "twitter header"),
    "social": ("social post", "social media", "instagram", "facebook post", "linkedin post", "post", "story", "tweet"),
    "poster": ("poster", "flyer", "leaflet", "brochure"),
    "logo": ("logo", "logotype", "wordmark", "brand mark", "brand identity"),
}
#: Canvas sizes that say the format on their own (when the words do not).
TYPE_SIZES: dict[tuple[int, int], str] = {
    (1050, 600): "business_card",
    (600, 1050): "business_card",
    (1280, 720): "thumbnail",
    (600, 200): "email_header",
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
    (
        {w for words in TYPE_WORDS.values() for p in words for w in p.split()}
        # words of a format's name that are a subject too ("art gallery", "podcast", "gift shop")
        - {"art", "podcast", "album", "playlist", "gift", "award", "price", "save", "date", "name", "thank", "you"}
        - {"boarding", "raffle", "visiting", "the", "ep", "list"}
    )
    | set(STYLES)
    | {"app", "media", "image", "graphic", "style", "colors", "colours", "color", "colour", "palette", "pastel"}
    | {"sleek", "futuristic", "contemporary", "professional", "playful", "artsy", "quirky", "minimal", "simple"}
    | {"clean", "flat", "bold", "colorful", "colourful", "energetic", "neon", "bright", "classy", "refined"}
    | {"premium", "classic", "luxurious", "whimsical", "hand-drawn", "cute", "beautiful", "nice", "cool", "tones"}
    # how it should look, never what it is called: "logo with blue and purple gradient"
    | {"gradient", "gradients", "glow", "glowing", "glossy", "shiny", "metallic", "matte", "vector", "3d"}
    | {"shadow", "shadows", "textured", "texture", "duotone", "monochrome", "monochromatic", "outline", "outlined"}
)
