"""What an image costs: a price table per model (size × quality, or per megapixel), and
prices from token usage for providers that report it.

The defaults are the providers' published list prices at the time of writing; they are
starting points, and every route may override them in the routes file (``prices``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class PriceTable:
    """Price of one image. ``per_image`` keys, most specific first when looked up:
    ``"1024x1024/high"``, ``"1024x1024"``, ``"*/high"``, ``"*"``. ``per_megapixel``, when
    set, prices by output area instead (fal's FLUX endpoints bill that way)."""

    per_image: Mapping[str, Decimal] = field(default_factory=dict)
    per_megapixel: Decimal | None = None

    def price(self, width: int, height: int, quality: str | None = None) -> Decimal:
        if self.per_megapixel is not None:
            megapixels = Decimal(width * height) / MILLION
            return (self.per_megapixel * megapixels).quantize(Decimal("0.000001"), ROUND_HALF_UP)
        size = f"{width}x{height}"
        q = (quality or "").lower()
        keys = [f"{size}/{q}", size, f"*/{q}", "*"] if q else [size, "*"]
        for key in keys:
            if key in self.per_image:
                return self.per_image[key]
        return Decimal("0")

    @classmethod
    def parse(cls, raw: Mapping[str, Any] | str | int | float | Decimal) -> PriceTable:
        """From config: a flat price (``0.04``), or a mapping of the keys above, optionally
        with ``per_megapixel``."""
        if not isinstance(raw, Mapping):
            return cls({"*": Decimal(str(raw))})
        per_mp = raw.get("per_megapixel")
        table = {str(k): Decimal(str(v)) for k, v in raw.items() if k != "per_megapixel"}
        return cls(table, Decimal(str(per_mp)) if per_mp is not None else None)


@dataclass(frozen=True)
class TokenRates:
    """USD per million tokens, for providers that bill images as tokens."""

    text_input: Decimal
    output: Decimal
    image_input: Decimal | None = None


def _d(value: str) -> Decimal:
    return Decimal(value)


def _sized(default: str, large_sizes: tuple[str, ...], qualities: dict[str, tuple[str, str]]) -> PriceTable:
    """Square and larger prices per quality. The first quality is the provider's default, so
    it also prices requests that name a size but no quality."""
    table: dict[str, Decimal] = {"*": _d(default)}
    for index, (quality, (square, large)) in enumerate(qualities.items()):
        table[f"*/{quality}"] = _d(square)
        for size in large_sizes:
            table[f"{size}/{quality}"] = _d(large)
            if index == 0:
                table[size] = _d(large)
    return PriceTable(table)


_GPT_LARGE = ("1024x1536", "1536x1024")

DEFAULT_PRICES: dict[str, PriceTable] = {
    "gpt-image-1": _sized(
        "0.042",
        _GPT_LARGE,
        {"medium": ("0.042", "0.063"), "low": ("0.011", "0.016"), "high": ("0.167", "0.25")},
    ),
    "gpt-image-1-mini": _sized(
        "0.011",
        _GPT_LARGE,
        {"medium": ("0.011", "0.015"), "low": ("0.005", "0.006"), "high": ("0.036", "0.052")},
    ),
    "dall-e-3": _sized(
        "0.04",
        ("1024x1792", "1792x1024"),
        {"standard": ("0.04", "0.08"), "hd": ("0.08", "0.12")},
    ),
    "dall-e-2": PriceTable({"256x256": _d("0.016"), "512x512": _d("0.018"), "*": _d("0.02")}),
    "gemini-2.5-flash-image": PriceTable({"*": _d("0.039")}),
    "gemini-2.5-flash-image-preview": PriceTable({"*": _d("0.039")}),
    "imagen-4.0-generate-001": PriceTable({"*": _d("0.04")}),
    "imagen-4.0-fast-generate-001": PriceTable({"*": _d("0.02")}),
    "imagen-4.0-ultra-generate-001": PriceTable({"*": _d("0.06")}),
    "imagen-3.0-generate-002": PriceTable({"*": _d("0.03")}),
    "fal-ai/flux/dev": PriceTable(per_megapixel=_d("0.025")),
    "fal-ai/flux/dev/image-to-image": PriceTable(per_megapixel=_d("0.03")),
    "fal-ai/flux/schnell": PriceTable(per_megapixel=_d("0.003")),
    "fal-ai/flux-1/schnell/redux": PriceTable(per_megapixel=_d("0.025")),
    "fal-ai/flux-pro/kontext": PriceTable({"*": _d("0.04")}),
    "fal-ai/flux-pro/kontext/max": PriceTable({"*": _d("0.08")}),
    "fal-ai/flux-kontext/dev": PriceTable({"*": _d("0.025")}),
    "fal-ai/flux-kontext-lora": PriceTable({"*": _d("0.035")}),
    "fal-ai/recraft/v3/text-to-image": PriceTable({"*": _d("0.04")}),
    "fal-ai/recraft/v3/image-to-image": PriceTable({"*": _d("0.04")}),
    "fal-ai/ideogram/v2": PriceTable({"*": _d("0.08")}),
    "fal-ai/ideogram/v3": PriceTable({"*": _d("0.06")}),
    "fal-ai/nano-banana": PriceTable({"*": _d("0.039")}),
    "fal-ai/wan/v2.2-5b/text-to-image": PriceTable({"*": _d("0.01")}),
    "google/gemini-2.5-flash-image": PriceTable({"*": _d("0.039")}),
    "google/gemini-2.5-flash-image-preview": PriceTable({"*": _d("0.039")}),
}

DEFAULT_TOKEN_RATES: dict[str, TokenRates] = {
    "gpt-image-1": TokenRates(text_input=_d("5"), image_input=_d("10"), output=_d("40")),
    "gpt-image-1-mini": TokenRates(text_input=_d("2"), image_input=_d("2.5"), output=_d("8")),
    "gemini-2.5-flash-image": TokenRates(text_input=_d("0.30"), image_input=_d("0.30"), output=_d("30")),
    "gemini-2.5-flash-image-preview": TokenRates(text_input=_d("0.30"), image_input=_d("0.30"), output=_d("30")),
    "google/gemini-2.5-flash-image": TokenRates(text_input=_d("0.30"), image_input=_d("0.30"), output=_d("30")),
    "google/gemini-2.5-flash-image-preview": TokenRates(text_input=_d("0.30"), image_input=_d("0.30"), output=_d("30")),
}


def _snapshot_of(model: str, known: str) -> bool:
    """``gpt-image-1-2025-04-15`` is a dated snapshot of ``gpt-image-1``; ``gpt-image-1.5`` and
    ``gpt-image-1-mini`` are other models with prices of their own."""
    rest = model[len(known) :]
    return model.startswith(known) and rest.startswith("-") and rest[1:2].isdigit()


def default_price_table(model: str) -> PriceTable:
    """The built-in table for an upstream model (or a dated snapshot of it); an empty table
    (price 0) for models without a published default: set ``prices`` on their routes."""
    if model in DEFAULT_PRICES:
        return DEFAULT_PRICES[model]
    for known in sorted(DEFAULT_PRICES, key=len, reverse=True):
        if _snapshot_of(model, known):
            return DEFAULT_PRICES[known]
    return PriceTable()


def price_from_tokens(rates: TokenRates, *, text_input: int, image_input: int = 0, output: int) -> Decimal:
    image_rate = rates.image_input if rates.image_input is not None else rates.text_input
    total = (rates.text_input * text_input + image_rate * image_input + rates.output * output) / MILLION
    return total.quantize(Decimal("0.000001"), ROUND_HALF_UP)


def token_rates(model: str, overrides: Mapping[str, TokenRates] | None = None) -> TokenRates | None:
    if overrides and model in overrides:
        return overrides[model]
    if model in DEFAULT_TOKEN_RATES:
        return DEFAULT_TOKEN_RATES[model]
    for known in sorted(DEFAULT_TOKEN_RATES, key=len, reverse=True):
        if _snapshot_of(model, known):
            return DEFAULT_TOKEN_RATES[known]
    return None
