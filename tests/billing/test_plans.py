"""Plans are configurable (``ATELIER_PLANS`` merged over the built-in ones) and checked at start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError
from pydantic_settings import SettingsError

from atelier.app import create_app
from atelier.settings import Settings
from tests.helpers.accounts import register

PLANS = {
    "pro": {"monthly_images": 3000},
    "team": {"monthly_price_usd": "99", "monthly_images": 10000, "hourly_images": 2000},
}


def configured(settings: Settings, **env: str) -> Settings:
    """The test settings as a start-up would read them with ``env`` set."""
    fields = settings.model_dump(exclude={"plans", "default_plan"})
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        return Settings(**fields)


async def test_plans_and_default_plan_come_from_settings(settings: Settings) -> None:
    app: FastAPI = create_app(configured(settings, ATELIER_PLANS=json.dumps(PLANS), ATELIER_DEFAULT_PLAN="team"))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        plans = {p["name"]: p for p in (await client.get("/v1/plans")).json()}
        assert list(plans) == ["free", "hobby", "pro", "payg", "unlimited", "team"]
        # an override changes only the fields it gives
        assert plans["pro"] == {
            "name": "pro",
            "monthly_price_usd": "29",
            "monthly_images": 3000,
            "hourly_images": 500,
            "price_per_image_usd": "0",
        }
        assert plans["team"] == {
            "name": "team",
            "monthly_price_usd": "99",
            "monthly_images": 10000,
            "hourly_images": 2000,
            "price_per_image_usd": "0",
        }
        assert plans["payg"]["price_per_image_usd"] == "0.02" and plans["payg"]["monthly_images"] is None
        await register(client)  # the first account is the unlimited admin
        member = await register(client)
        credits = (await client.get("/v1/credits", headers=member.jwt_headers)).json()
        assert credits["plan"] == "team" and credits["total"] == 10000 and credits["remaining"] == 10000
        pricing = (await client.get("/compat/nanobanana/v1/pricing")).json()
        assert next(t for t in pricing if t["tier"] == "Pro")["images_per_month"] == 3000


async def test_the_default_plans_follow_the_pricing_table(client: httpx.AsyncClient) -> None:
    plans = {p["name"]: p for p in (await client.get("/v1/plans")).json()}
    figures = {n: (p["monthly_images"], p["hourly_images"], p["price_per_image_usd"]) for n, p in plans.items()}
    assert figures == {
        "free": (50, 10, "0"),
        "hobby": (500, 100, "0"),
        "pro": (2000, 500, "0"),
        "payg": (None, 1000, "0.02"),
        "unlimited": (None, None, "0"),
    }
    member = await register(client), await register(client)
    assert (await client.get("/v1/credits", headers=member[1].jwt_headers)).json()["plan"] == "free"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ATELIER_DEFAULT_PLAN": "gold"}, "ATELIER_DEFAULT_PLAN names an unknown plan 'gold'"),
        ({"ATELIER_PLANS": '{"team": {"monthly_images": 100}}'}, "new plan 'team' must give hourly_images"),
        ({"ATELIER_PLANS": '{"pro": {"monthly_images": -1}}'}, "greater than or equal to 0"),
        ({"ATELIER_PLANS": '{"pro": {"monthly_imgs": 10}}'}, "monthly_imgs"),
        ({"ATELIER_PLANS": '{"Big Plan": {"monthly_images": 1, "hourly_images": 1}}'}, "plan name 'Big Plan'"),
    ],
)
def test_a_bad_plan_configuration_is_refused(settings: Settings, env: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        configured(settings, **env)


def test_plans_that_are_not_json_are_refused(settings: Settings) -> None:
    with pytest.raises(SettingsError, match='error parsing value for field "plans"'):
        configured(settings, ATELIER_PLANS="not json")


def test_the_server_refuses_to_start_with_an_unknown_default_plan(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    env.update({"ATELIER_DATA_DIR": str(tmp_path / "data"), "ATELIER_DEFAULT_PLAN": "gold", "COLUMNS": "400"})
    done = subprocess.run(
        [sys.executable, "-m", "atelier.cli", "serve", "--port", "1"], env=env, capture_output=True, timeout=120
    )
    assert done.returncode != 0
    stderr = " ".join(done.stderr.decode().split())
    assert "ATELIER_DEFAULT_PLAN names an unknown plan 'gold' (known: free, hobby, pro, payg, unlimited)" in stderr
    assert not (tmp_path / "data" / "atelier.db").exists()  # refused before touching anything


async def test_an_organization_on_a_plan_since_removed_can_be_moved_off_it(settings: Settings) -> None:
    with_team: FastAPI = create_app(configured(settings, ATELIER_PLANS=json.dumps(PLANS)))
    transport = httpx.ASGITransport(app=with_team)
    async with (
        with_team.router.lifespan_context(with_team),
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        admin = await register(client)
        member = await register(client)
        moved = await client.put(
            f"/v1/admin/organizations/{member.organization_id}/plan", json={"plan": "team"}, headers=admin.jwt_headers
        )
        assert moved.status_code == 200, moved.text
    without_team: FastAPI = create_app(configured(settings))  # the operator dropped "team"
    transport = httpx.ASGITransport(app=without_team)
    async with (
        without_team.router.lifespan_context(without_team),
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        back = await client.put(
            f"/v1/admin/organizations/{member.organization_id}/plan", json={"plan": "pro"}, headers=admin.jwt_headers
        )
        assert back.status_code == 200, back.text
        credits = (await client.get("/v1/credits", headers=member.jwt_headers)).json()
        assert credits["plan"] == "pro" and credits["total"] == 2000
