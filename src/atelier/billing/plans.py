"""Plans (defaults from the NanoBanana pricing table) plus ``unlimited`` for self-hosted teams,
with ``ATELIER_PLANS`` merged over them. The table is built once at start-up and kept on
``runtime.plans``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from atelier.kit.errors import ValidationFailed
from atelier.kit.runtime import Runtime
from atelier.settings import PlanSettings, Settings

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
REQUIRED_FOR_NEW = ("monthly_images", "hourly_images")


@dataclass(frozen=True)
class Plan:
    name: str
    monthly_price_usd: Decimal
    #: Credits granted each month (one credit = one image); None = not credit-limited.
    monthly_images: int | None
    hourly_images: int | None
    #: Charged for each image produced, on top of the provider's cost.
    price_per_image_usd: Decimal = Decimal("0")

    @property
    def metered(self) -> bool:
        """Pay-as-you-go: no monthly allowance, every image billed."""
        return self.monthly_images is None and self.price_per_image_usd > 0

    def charge(self, images: int) -> Decimal:
        return self.price_per_image_usd * images


DEFAULT_PLANS: dict[str, Plan] = {
    "free": Plan("free", Decimal("0"), 50, 10),
    "hobby": Plan("hobby", Decimal("9"), 500, 100),
    "pro": Plan("pro", Decimal("29"), 2000, 500),
    "payg": Plan("payg", Decimal("0"), None, 1000, Decimal("0.02")),
    "unlimited": Plan("unlimited", Decimal("0"), None, None),
}


def build_plans(overrides: Mapping[str, PlanSettings]) -> dict[str, Plan]:
    """The built-in plans with each override's given fields applied; a ``ValueError``
    naming the plan and field for anything that cannot be a plan."""
    table = dict(DEFAULT_PLANS)
    for name, fields in overrides.items():
        if not NAME.match(name):
            raise ValueError(f"ATELIER_PLANS: plan name '{name}' must be 1-40 lowercase letters, digits, '-' or '_'")
        given = {field: getattr(fields, field) for field in fields.model_fields_set}
        if name in table:
            table[name] = replace(table[name], **given)
            continue
        missing = [field for field in REQUIRED_FOR_NEW if field not in given]
        if missing:
            raise ValueError(f"ATELIER_PLANS: new plan '{name}' must give {' and '.join(missing)} (null = not limited)")
        table[name] = Plan(name=name, **{**fields.model_dump(), **given})
    return table


def plans_from(settings: Settings) -> dict[str, Plan]:
    return build_plans(settings.plans)


def runtime_plans(runtime: Runtime) -> dict[str, Plan]:
    plans: dict[str, Plan] = runtime.plans
    return plans


def get_plan(name: str, plans: Mapping[str, Plan]) -> Plan:
    if name not in plans:
        raise ValidationFailed(f"Unknown plan '{name}' (known: {', '.join(plans)})", details={"field": "plan"})
    return plans[name]
