"""Price tables (size × quality, per megapixel, overrides) and prices from token usage."""

from __future__ import annotations

from decimal import Decimal

from atelier.engines.pricing import PriceTable, TokenRates, default_price_table, price_from_tokens, token_rates


def test_default_tables_by_size_and_quality() -> None:
    gpt = default_price_table("gpt-image-1")
    assert gpt.price(1024, 1024, "low") == Decimal("0.011")
    assert gpt.price(1536, 1024, "high") == Decimal("0.25")
    assert gpt.price(1024, 1536, None) == Decimal("0.063")  # the default quality (medium) at a large size
    dalle3 = default_price_table("dall-e-3")
    assert dalle3.price(1024, 1024, "hd") == Decimal("0.08") and dalle3.price(1792, 1024, None) == Decimal("0.08")
    assert default_price_table("dall-e-2").price(256, 256) == Decimal("0.016")
    assert default_price_table("gpt-image-1-2025-04-15").price(1024, 1024, "low") == Decimal("0.011")  # snapshots
    # a successor is another model, not a snapshot: no default rather than gpt-image-1's prices
    assert default_price_table("gpt-image-1.5").price(1024, 1024, "low") == Decimal("0")
    assert default_price_table("gpt-image-1-mini-2025-10-06").price(1024, 1024, "low") == Decimal("0.005")
    assert default_price_table("someone/unknown").price(1024, 1024) == Decimal("0")


def test_per_megapixel_and_overrides() -> None:
    assert default_price_table("fal-ai/flux/dev").price(1024, 1024) == Decimal("0.026214")
    table = PriceTable.parse({"1024x1024/high": 0.5, "*/high": "0.3", "*": 0.1})
    assert table.price(1024, 1024, "high") == Decimal("0.5")
    assert table.price(512, 512, "HIGH") == Decimal("0.3")
    assert table.price(512, 512) == Decimal("0.1")
    assert PriceTable.parse(0.04).price(1, 1) == Decimal("0.04")
    assert PriceTable.parse({"per_megapixel": 0.01}).price(2000, 1000) == Decimal("0.02")


def test_token_pricing() -> None:
    rates = TokenRates(text_input=Decimal("5"), image_input=Decimal("10"), output=Decimal("40"))
    assert price_from_tokens(rates, text_input=100, image_input=1000, output=4160) == Decimal("0.1769")


def test_token_rates_follow_snapshots_not_successors() -> None:
    assert token_rates("gpt-image-1-2025-04-15") == token_rates("gpt-image-1") is not None
    assert token_rates("gpt-image-1.5") is None
