"""The rules every finished spec keeps, whoever wrote it, and how the model is configured."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atelier.settings import Settings
from atelier.specs.answer import PlannedDesign, strict_schema, to_spec
from atelier.specs.planner import plan
from atelier.specs.schema import InvalidSpec, check
from tests.helpers.chat_completions import desk_design


@settings(max_examples=40, deadline=None)
@given(
    st.text(max_size=60),
    st.sampled_from(["car", "office", "chair", "phone", "fridge", "boat", "jet", "laptop", "desk"]),
    st.integers(min_value=0, max_value=10**9),
)
def test_the_planner_always_passes_the_checks(noise: str, word: str, count: int) -> None:
    check(plan(f"{noise} {word} for {count} employees, {count} seats"))


def test_huge_numbers_in_a_prompt_stay_realistic() -> None:
    tower = plan("Office building for 10000000 employees")
    car = plan("Electric car with 100000 seats")
    bus = plan("Electric bus with 100000 seats")
    assert len([o for o in tower["objects"] if o["type"] == "floor"]) == 160
    assert len([o for o in car["objects"] if o["type"] == "seat"]) == 9  # the most a car seats
    assert sum(o["properties"]["seats"] for o in bus["objects"] if o["type"] == "seat_row") == 80  # 18.75 m
    for spec in (tower, car, bus):
        assert any("outside the realistic" in note for note in spec["metadata"]["notes"])


def desk() -> dict[str, object]:
    design = PlannedDesign.model_validate(desk_design())
    return to_spec(design, prompt="desk", context={}, style=None, constraints=[], method="llm:m")


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("objects", 0, "position", "x"), -0.1, "objects.0.position.x"),
        (("objects", 0, "dimensions", "width"), 0.0, "objects.0.dimensions.width"),
        (("objects", 0, "dimensions", "units"), "feet", "objects.0.dimensions.units"),
        (("objects", 1, "id"), "desk_top", "object ids are not unique"),
        (("scene", "total_objects"), 4, "scene.total_objects is 4"),
        (("scene", "bounding_box", "height"), 1.0, "object 'desk_top' extends outside"),
        (("metadata", "original_spec", "design_type"), "spaceship", "design_type 'spaceship' is not one of"),
    ],
)
def test_check_names_the_first_problem(path: tuple[object, ...], value: object, problem: str) -> None:
    spec = desk()
    check(spec)
    broken = copy.deepcopy(spec)
    target: object = broken
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    with pytest.raises(InvalidSpec, match=problem.replace("(", r"\(")):
        check(broken)


def test_the_strict_schema_requires_every_property_and_nothing_else() -> None:
    def walk(node: dict[str, object]) -> None:
        assert "$ref" not in node and "title" not in node and "minLength" not in node
        properties = node.get("properties")
        if isinstance(properties, dict):
            assert node["additionalProperties"] is False and node["required"] == list(properties)
            for sub in properties.values():
                walk(sub)
        if isinstance(node.get("items"), dict):
            walk(node["items"])  # type: ignore[arg-type]

    schema = strict_schema()
    walk(schema)
    assert schema["properties"]["design_type"]["enum"] == [
        "building",
        "vehicle",
        "electronics",
        "appliance",
        "furniture",
    ]


def test_the_llm_is_configured_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert not Settings(data_dir=tmp_path).specs.llm_enabled
    monkeypatch.setenv("ATELIER_SPECS__LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("ATELIER_SPECS__LLM_MODEL", "qwen2.5:7b")
    monkeypatch.setenv("ATELIER_SPECS__LLM_API_KEY", "sk-local")
    monkeypatch.setenv("ATELIER_SPECS__LLM_TIMEOUT_SECONDS", "12.5")
    specs = Settings(data_dir=tmp_path).specs
    assert specs.llm_enabled and specs.llm_model == "qwen2.5:7b" and specs.llm_timeout_seconds == 12.5
    monkeypatch.setenv("ATELIER_SPECS__LLM_BASE_URL", "localhost:11434")
    with pytest.raises(ValueError, match="llm_base_url"):
        Settings(data_dir=tmp_path)
