"""The image path on real images through NudeNet's shipped ONNX detector: ordinary design
engine outputs pass; an image scoring above the threshold is blocked (not stored, not charged)
or, under a flagging policy, stored, marked and never public."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from atelier.jobs.models import Asset, Job
from atelier.safety import classifiers
from atelier.safety.classifiers import explicit_nudity, explicit_score, nudenet_model_path, nudity_scores
from tests.helpers.engines import solid_png
from tests.safety.conftest import skin_figure_png
from tests.safety.helpers import FixedImageEngine, ledger, stored_keys, team

WAIT = {"Prefer": "wait=60"}


def test_nudenet_ships_its_model() -> None:
    path = nudenet_model_path()
    assert path.is_file() and path.stat().st_size > 1_000_000  # the detector inside the package, no download


async def test_the_detector_tells_a_figure_from_a_flat_image() -> None:
    figure_label, figure = explicit_score(await nudity_scores(skin_figure_png()))
    _, flat = explicit_score(await nudity_scores(solid_png(512, 512, (30, 60, 200))))
    assert figure_label == "FEMALE_BREAST_EXPOSED" and figure > 0.4
    assert flat < 0.1


class _CountingSession:
    """NudeNet's real session, counting its runs."""

    def __init__(self, session: object) -> None:
        self.session = session
        self.runs = 0

    def get_inputs(self) -> object:
        return self.session.get_inputs()  # type: ignore[attr-defined]

    def run(self, *args: object) -> object:
        self.runs += 1
        return self.session.run(*args)  # type: ignore[attr-defined]


async def test_an_image_without_skin_is_judged_without_the_detector(monkeypatch: object) -> None:
    """No skin-coloured pixel means no exposed-body box can count, so the model's verdict is known
    without running it; an image with skin still runs it, and both verdicts match the model's."""
    counting = _CountingSession(classifiers._NUDENET.get())
    monkeypatch.setattr(classifiers._NUDENET, "get", lambda: counting)  # type: ignore[attr-defined]
    flat = solid_png(256, 256, (200, 30, 30))
    assert (await explicit_nudity(flat))[1] == 0.0
    assert counting.runs == 0
    assert explicit_score(await nudity_scores(flat))[1] == 0.0  # what the model itself says
    figure = skin_figure_png()
    label, score = await explicit_nudity(figure)
    assert counting.runs == 2
    assert (label, score) == explicit_score(await nudity_scores(figure)) and score > 0.4


async def test_ordinary_design_outputs_pass_and_say_the_check_ran(client: httpx.AsyncClient, app: FastAPI) -> None:
    crew = await team(client, app)
    briefs = ["poster for 'Tide' surf shop summer opening", "sexy summer sale banner, swimwear 40% off"]
    for prompt in briefs:
        body = {"prompt": prompt, "n": 2, "size": "512x512"}
        response = await client.post("/v1/generations", json=body, headers={**crew.headers, **WAIT})
        assert response.status_code == 200, response.text
        job = response.json()
        assert job["status"] == "succeeded" and job["engine"] == "atelier-design"
        checks = job["content_checks"]
        assert checks["prompt"]["decision"] == "allow" and checks["prompt"]["ran"] == ["blocklist", "classifier"]
        assert checks["images"]["ran"] == ["image_classifier"] and checks["images"]["decision"] == "allow"
        for asset in job["assets"]:
            assert asset["content_flag"] is None
            image = await client.get(asset["url"])
            _, score = explicit_score(await nudity_scores(image.content))
            assert score < 0.3  # the design engine's real output, scored by the real detector


async def _set_policy(client: httpx.AsyncClient, crew: object, **policy: object) -> None:
    admin, member = crew.admin, crew.member  # type: ignore[attr-defined]
    response = await client.put(
        "/v1/organization/content-policy",
        params={"organization_id": member.organization_id},
        json=policy,
        headers=admin.jwt_headers,
    )
    assert response.status_code == 200, response.text


async def test_an_image_above_the_threshold_is_blocked_not_stored_not_charged(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    runtime = app.state.runtime
    runtime.router.register(FixedImageEngine("figure", skin_figure_png(), 512, 512), models=["figure"])
    crew = await team(client, app, credits=20)
    before_keys = await stored_keys(runtime.storage)
    before = await ledger(app, crew.member.organization_id)
    body = {"prompt": "portrait study, soft light", "model": "figure", "n": 2, "size": "512x512"}
    # the default threshold (0.6) lets this drawing (about 0.54) through…
    passed = await client.post("/v1/generations", json=body, headers={**crew.headers, **WAIT})
    assert passed.status_code == 200 and passed.json()["status"] == "succeeded"
    # …a stricter organization (0.4) blocks it
    await _set_policy(client, crew, image_threshold=0.4)
    after_pass = await ledger(app, crew.member.organization_id)
    keys_after_pass = await stored_keys(runtime.storage)
    refused = await client.post("/v1/generations", json=body, headers={**crew.headers, **WAIT})
    assert refused.status_code == 200, refused.text  # the native API answers the finished job, failed
    failed = refused.json()
    assert failed["status"] == "failed" and failed["assets"] == []
    assert failed["error"] == {
        "code": "CONTENT_POLICY_VIOLATION",
        "message": "The image was blocked by the content policy (sexual)",
    }
    job_id = failed["id"]
    async with runtime.sessions() as session:
        job = await session.get(Job, job_id)
        assert job is not None and job.status == "failed" and job.error_code == "CONTENT_POLICY_VIOLATION"
        assert (await session.execute(select(Asset).where(Asset.job_id == job_id))).first() is None
    assert await stored_keys(runtime.storage) == keys_after_pass  # nothing of the blocked job stored
    balance, total, _ = await ledger(app, crew.member.organization_id)
    assert balance == total == after_pass[0] == before[0] - 2  # the reservation released: only the passed job paid
    assert keys_after_pass - before_keys  # the passed job did store its images


async def test_a_flagging_policy_keeps_the_image_marked_and_private(client: httpx.AsyncClient, app: FastAPI) -> None:
    runtime = app.state.runtime
    runtime.router.register(FixedImageEngine("figure", skin_figure_png(), 512, 512), models=["figure"])
    crew = await team(client, app)
    await _set_policy(client, crew, categories={"sexual": "flag"}, image_threshold=0.4)
    body = {"prompt": "portrait study, soft light", "model": "figure", "n": 1, "size": "512x512"}
    response = await client.post("/v1/generations", json=body, headers={**crew.headers, **WAIT})
    assert response.status_code == 200, response.text
    job = response.json()
    asset = job["assets"][0]
    assert asset["content_flag"] == "sexual" and job["content_checks"]["images"]["flagged"] == 1
    publish = await client.patch(f"/v1/assets/{asset['id']}", json={"public": True}, headers=crew.headers)
    assert publish.status_code == 409
    assert publish.json()["error"]["code"] == "CONTENT_POLICY_FLAGGED"
    assert "cannot be made public" in publish.json()["error"]["message"]
    dreamy = await client.patch(
        f"/compat/dreamy-studio/api/gallery/{asset['id']}", json={"is_public": True}, headers=crew.headers
    )
    assert dreamy.status_code == 409 and dreamy.json()["success"] is False
    async with runtime.sessions() as session:  # even set behind the API's back, it never shows
        stored = await session.get(Asset, asset["id"])
        assert stored is not None
        stored.public = True
        await session.commit()
    assert (await client.get(f"/share/{asset['id']}")).status_code == 404
    assert (await client.get(f"/share/{asset['id']}/image")).status_code == 404
    again = await client.get(f"/v1/assets/{asset['id']}", headers=crew.headers)
    assert again.json()["share_url"] is None
    favourite = await client.patch(f"/v1/assets/{asset['id']}", json={"favorite": True}, headers=crew.headers)
    assert favourite.status_code == 200  # the gallery otherwise works


async def test_flat_marks_in_brand_colours_are_no_body() -> None:
    """A pink target mark the design engine draws for "Create a modern logo design" (seed 6)
    scored 0.79 "buttocks exposed" and blocked one render in six of that prompt: an exposed-body
    detection now counts only over a box that is skin-coloured (the figure above still is)."""
    from atelier import design

    target = design.render("Create a modern logo design", width=256, height=256, seed=6).data
    assert explicit_score(await nudity_scores(target))[1] < 0.1
    for seed in range(40):
        image = design.render("Create a modern logo design", width=256, height=256, seed=seed).data
        assert explicit_score(await nudity_scores(image))[1] < 0.3, seed
    assert explicit_score(await nudity_scores(skin_figure_png()))[1] > 0.4
