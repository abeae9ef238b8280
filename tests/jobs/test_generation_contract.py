"""One model for what a generation asks: the platform's parameters are the engines' request
plus what only the platform reads, kept on the job as one typed record."""

from __future__ import annotations

import dataclasses
import json

from atelier.engines.base import BrandConstraints, GenerationRequest, OutputFormat, Task
from atelier.jobs.params import GenerationParams


def _asked() -> GenerationParams:
    return GenerationParams(
        prompt="poster for 'Tide'",
        model="atelier-design",
        n=2,
        width=1280,
        height=960,
        output_format=OutputFormat.WEBP,
        task=Task.EDIT,
        negative_prompt="no people",
        seed=7,
        guidance=3.5,
        steps=20,
        quality="high",
        style="vivid",
        background="transparent",
        design_type="poster",
        constraints=BrandConstraints(("#112233", "#ffffff"), ("Inter",), 8.0),
        project="prj_1",
        webhook_url="https://example.com/hook",
        references=[b"png bytes"],
        mask=b"mask bytes",
        extra={"loras": [{"path": "x", "scale": 1.0}]},
    )


def test_every_request_field_is_the_engines_field() -> None:
    request_fields = {f.name for f in dataclasses.fields(GenerationRequest)}
    assert request_fields <= {f.name for f in dataclasses.fields(GenerationParams)}
    asked = _asked()
    request = asked.request()
    assert type(request) is GenerationRequest
    for name in request_fields - {"extra"}:
        assert getattr(request, name) == getattr(asked, name), name
    assert request.extra == {**asked.extra, "design_type": "poster"}


def test_the_record_round_trips_everything_but_the_stored_inputs() -> None:
    asked = _asked()
    record = json.loads(json.dumps(asked.to_record()))  # what the JSON column keeps
    assert not {"references", "mask", "upstream_model", "project", "webhook_url"} & set(record)
    again = GenerationParams.from_record(record)
    expected = dataclasses.replace(asked, references=[], mask=None, project=None, webhook_url=None)
    assert again == expected


def test_a_record_older_than_a_field_takes_its_default() -> None:
    again = GenerationParams.from_record({"prompt": "old job", "model": "m", "n": 1, "width": 64, "height": 64})
    assert again.output_format == OutputFormat.PNG and again.task == Task.GENERATE and again.constraints is None
