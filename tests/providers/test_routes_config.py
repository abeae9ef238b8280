"""Routes configuration: the built-in table, YAML/TOML files, the JSON override, credentials
from the environment, and the default engine when nothing is configured."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from atelier.engines import providers
from atelier.engines.assembly import build_router, router_from_settings
from atelier.engines.base import CancelToken, GenerationRequest, no_progress
from atelier.engines.config import RoutesFileError, load_routes_config
from atelier.engines.defaults import A4F_CHAIN, FAL_MODELS
from atelier.engines.providers.hosted import EngineSpec
from atelier.engines.providers.openai_images import OpenAIImagesEngine
from tests.providers.conftest import Fake
from tests.providers.engines import ScriptedEngine

SEED_NAMES = ["openrouter/gemini-2.5-flash-image", "gemini-2.5-flash-image", *A4F_CHAIN, *FAL_MODELS]


@pytest.fixture
def design_stand_in(monkeypatch: pytest.MonkeyPatch) -> ScriptedEngine:
    """The registry's design entry swapped for a small test engine with the same name."""
    engine = ScriptedEngine("atelier-design", price="0")

    def factory(spec: EngineSpec) -> ScriptedEngine:
        return engine

    monkeypatch.setitem(providers.PROVIDER_FACTORIES, "design", factory)
    return engine


async def test_without_credentials_every_model_goes_to_the_design_engine(design_stand_in: ScriptedEngine) -> None:
    router = build_router(load_routes_config(), env={})
    for name in [*SEED_NAMES, "gpt-image-1", "dall-e-3", "imagen-4", "atelier-design"]:
        assert [d.name for d in router.deployments(name)] == ["atelier-design"], name
    outcome = await router.run(
        "provider-5/flux-fast", GenerationRequest(prompt="logo", width=64, height=64), no_progress, CancelToken()
    )
    assert outcome.engine == "atelier-design" and outcome.cost_usd == Decimal("0")
    assert {m["id"] for m in router.models()} >= set(SEED_NAMES)


def test_a4f_key_configures_the_seed_chain_in_order(design_stand_in: ScriptedEngine) -> None:
    env = {"A4F_API_KEY": "a4f-secret", "A4F_BASE_URL": "http://a4f.internal/v1"}
    router = build_router(load_routes_config(), env=env)
    chain = router.deployments("provider-5/flux-fast")
    assert [d.name for d in chain] == [f"a4f/{m}" for m in A4F_CHAIN]
    assert all(isinstance(d.engine, OpenAIImagesEngine) for d in chain)
    assert chain[0].engine.http.base_url == "http://a4f.internal/v1"  # type: ignore[attr-defined]
    assert router.deployments("provider-4/qwen-image")[0].name == "a4f/provider-4/qwen-image"
    # shared deployments share one breaker
    assert router.deployments("provider-4/imagen-4")[0] is chain[2]
    assert [d.name for d in router.deployments("gpt-image-1")] == ["atelier-design"]
    assert "a4f-secret" not in repr(router.models())


def test_gemini_key_puts_gemini_first_and_openrouter_second(design_stand_in: ScriptedEngine) -> None:
    router = build_router(load_routes_config(), env={"GOOGLE_API_KEY": "g", "OPENROUTER_API_KEY": "o"})
    assert [d.name for d in router.deployments("gemini-2.5-flash-image")] == [
        "gemini/gemini-2.5-flash-image",
        "openrouter/google/gemini-2.5-flash-image",
    ]
    first = router.deployments("openrouter/gemini-2.5-flash-image")[0]
    assert first.name == "openrouter/google/gemini-2.5-flash-image"


YAML = """
providers:
  house:
    kind: openai
    api_key_env: HOUSE_KEY
    base_url: {url}/v1
routes:
  brand-logo:
    - provider: house
      model: gpt-image-1
      timeout: 20
      rpm: 10
      prices: {{"1024x1024/high": 0.5, "*": 0.2}}
retry:
  max_attempts: 2
breaker:
  failure_threshold: 3
"""


async def test_yaml_routes_file_runs_against_the_configured_provider(
    tmp_path: Path, openai_api: Fake, design_stand_in: ScriptedEngine
) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text(YAML.format(url=openai_api.url))
    router = router_from_settings(path, None, env={"HOUSE_KEY": openai_api.state.key})
    (deployment,) = router.deployments("brand-logo")
    assert deployment.name == "house/gpt-image-1" and deployment.timeout == 20 and deployment.rpm is not None
    assert deployment.breaker.failure_threshold == 3 and router.retry.max_attempts == 2
    request = GenerationRequest(prompt="x", quality="high")
    assert router.estimate("brand-logo", request) == Decimal("0.5")
    # the route's table is read at the quality sent upstream: "hd" is sent as gpt-image's "high"
    assert router.estimate("brand-logo", GenerationRequest(prompt="x", quality="hd")) == Decimal("0.5")
    outcome = await router.run("brand-logo", request, no_progress, CancelToken())
    assert outcome.engine == "house/gpt-image-1" and outcome.provider == "house" and outcome.model == "gpt-image-1"
    # built-in routes are still there
    assert [d.name for d in router.deployments("fal-ai/flux/dev")] == ["atelier-design"]
    await router.aclose()


def test_toml_file_and_json_override(tmp_path: Path, design_stand_in: ScriptedEngine) -> None:
    path = tmp_path / "routes.toml"
    path.write_text(
        '[providers.fal]\napi_key_env = "MY_FAL"\n\n'
        '[[routes."poster"]]\nprovider = "fal"\nmodel = "fal-ai/flux/schnell"\nprices = 0.003\n'
    )
    override = '{"routes": {"poster": [{"provider": "fal", "model": "fal-ai/flux/dev"}]}, "retry": {"max_attempts": 5}}'
    config = load_routes_config(path, override)
    assert config.providers["fal"].api_key_env == ["MY_FAL"] and config.providers["fal"].kind == "fal"
    assert config.routes["poster"][0].model == "fal-ai/flux/dev" and config.retry.max_attempts == 5
    router = build_router(config, env={"MY_FAL": "k"})
    assert [d.name for d in router.deployments("poster")] == ["fal/fal-ai/flux/dev"]


def test_invalid_configuration_is_reported_clearly(tmp_path: Path) -> None:
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("routes: [unclosed")
    with pytest.raises(RoutesFileError, match="not valid yaml"):
        load_routes_config(bad_yaml)
    with pytest.raises(RoutesFileError, match="unknown provider 'nowhere'"):
        load_routes_config(None, '{"routes": {"x": [{"provider": "nowhere"}]}}')
    with pytest.raises(RoutesFileError, match="Cannot read routes file"):
        load_routes_config(tmp_path / "missing.yaml")
    with pytest.raises(RoutesFileError, match="Invalid routes configuration"):
        load_routes_config(None, '{"retry": {"max_attempts": 0}}')


async def test_settings_name_the_routes_file_and_environment_overrides_it(
    tmp_path: Path, openai_api: Fake, design_stand_in: ScriptedEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What start-up does: ATELIER_ENGINES__ROUTES_FILE names the file, ATELIER_ENGINES__ROUTES_JSON
    is merged over it, keys come from the variables the file names."""
    from atelier.engines.runner import build_router as router_for_settings
    from atelier.settings import Settings

    path = tmp_path / "routes.yaml"
    path.write_text(YAML.format(url=openai_api.url))
    monkeypatch.setenv("ATELIER_ENGINES__ROUTES_FILE", str(path))
    monkeypatch.setenv(
        "ATELIER_ENGINES__ROUTES_JSON", '{"retry": {"max_attempts": 4}, "breaker": {"cooldown_seconds": 5}}'
    )
    monkeypatch.setenv("HOUSE_KEY", openai_api.state.key)
    settings = Settings(data_dir=tmp_path)
    assert settings.engines.routes_file == path
    router = router_for_settings(settings)
    try:
        (deployment,) = router.deployments("brand-logo")
        assert deployment.name == "house/gpt-image-1" and router.retry.max_attempts == 4
        assert deployment.breaker.failure_threshold == 3 and deployment.breaker.cooldown_seconds == 5
        outcome = await router.run("brand-logo", GenerationRequest(prompt="x"), no_progress, CancelToken())
        assert outcome.engine == "house/gpt-image-1"
        assert (
            openai_api.state.calls("/images/generations")[0].headers["authorization"]
            == f"Bearer {openai_api.state.key}"
        )
    finally:
        await router.aclose()
    monkeypatch.delenv("HOUSE_KEY")
    assert [d.name for d in router_for_settings(settings).deployments("brand-logo")] == ["atelier-design"]


def test_the_documented_example_routes_file_loads_with_the_seed_chain(tmp_path: Path) -> None:
    """docs/providers.md's example is a working routes file: seed 002's chain in order, then
    the local model; A4F deployments appear once A4F_API_KEY is set."""
    doc = (Path(__file__).parents[2] / "docs" / "providers.md").read_text()
    block = doc.split("<!-- example-routes-file", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "routes.yaml"
    path.write_text(block)
    config = load_routes_config(path)
    chain = config.routes["brand-logo"]
    assert [d.model for d in chain[:-1]] == list(A4F_CHAIN) and chain[-1].provider == "local-sdxl"
    assert config.breaker.failure_threshold == 5 and config.retry.max_attempts == 3
    router = build_router(config, env={"A4F_API_KEY": "k"})
    names = [d.name for d in router.deployments("brand-logo")]
    assert names == [f"a4f/{m}" for m in A4F_CHAIN] + ["local/sdxl"]
    assert router.estimate("brand-logo", GenerationRequest(prompt="x", width=512, height=512)) == Decimal("0.004")


def test_a_deployment_named_in_several_routes_is_one_with_combined_settings(design_stand_in: ScriptedEngine) -> None:
    # The built-in table lists a4f/provider-5/flux-fast bare; a route pricing it prices it everywhere.
    priced = (
        '{"routes": {"brand-logo": [{"provider": "a4f", "model": "provider-5/flux-fast", "prices": 0.004, "rpm": 5}]}}'
    )
    router = build_router(load_routes_config(None, priced), env={"A4F_API_KEY": "k"})
    (mine,) = router.deployments("brand-logo")
    assert router.deployments("provider-5/flux-fast")[0] is mine
    assert mine.rpm is not None and mine.rpm.limit == 5
    request = GenerationRequest(prompt="x", width=512, height=512)
    assert router.estimate("provider-5/flux-fast", request) == Decimal("0.004")
    # two different prices for the same deployment are a configuration error, not a silent pick
    clash = (
        '{"routes": {"a": [{"provider": "fal", "model": "fal-ai/flux/dev", "prices": 0.01}],'
        ' "b": [{"provider": "fal", "model": "fal-ai/flux/dev", "prices": 0.02}]}}'
    )
    with pytest.raises(RoutesFileError, match=r"'fal/fal-ai/flux/dev' is configured twice with different 'prices'"):
        build_router(load_routes_config(None, clash), env={})
    # unless one gets its own name
    named = clash.replace('"prices": 0.02', '"prices": 0.02, "name": "fal/dev-cheap"')
    router = build_router(load_routes_config(None, named), env={"FAL_KEY": "k"})
    assert [d.name for d in router.deployments("b")] == ["fal/dev-cheap"]
