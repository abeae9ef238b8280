"""Plans (defaults from the NanoBanana pricing table) plus ``unlimited`` for self-hosted teams."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from atelier.kit.errors import ValidationFailed


@dataclass(frozen=True)
class Plan:
    name: str
    monthly_price_usd: Decimal
    #: Credits granted each month (one credit = one image); None = not credit-limited.
    monthly_images: int | None
    hourly_images: int | None
    price_per_image_usd: Decimal = Decimal("0")

    @property
    def metered(self) -> bool:
        """Pay-as-you-go: no monthly allowance, every image billed."""
        return self.monthly_images is None and self.price_per_image_usd > 0


DEFAULT_PLANS: dict[str, Plan] = {
    "free": Plan("free", Decimal("0"), 50, 10),
    "hobby": Plan("hobby", Decimal("9"), 500, 100),
    "pro": Plan("pro", Decimal("29"), 2000, 500),
    "payg": Plan("payg", Decimal("0"), None, 1000, Decimal("0.02")),
    "unlimited": Plan("unlimited", Decimal("0"), None, None),
}


def get_plan(name: str, plans: dict[str, Plan] | None = None) -> Plan:
    table = plans or DEFAULT_PLANS
    if name not in table:
        raise ValidationFailed(f"Unknown plan '{name}' (known: {', '.join(table)})", details={"field": "plan"})
    return table[name]
