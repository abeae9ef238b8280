"""Building a :class:`Router` from the routes config and the environment.

A deployment is built only when its provider has credentials (or needs none); a route left
without deployments goes to the default engine (the built-in design engine), so a fresh
install answers every known model name and says which engine actually ran."""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from atelier.engines.base import Capabilities
from atelier.engines.breaker import CircuitBreaker, Clock, RpmWindow
from atelier.engines.config import (
    DeploymentConfig,
    ProviderConfig,
    RoutesConfig,
    RoutesFileError,
    load_routes_config,
)
from atelier.engines.providers import KEYLESS_KINDS, EngineSpec, build_engine
from atelier.engines.providers.hosted import HostedEngine
from atelier.engines.routing import Deployment, Router, Sleep


def provider_key(provider: ProviderConfig, env: Mapping[str, str]) -> str | None:
    for name in provider.api_key_env:
        value = env.get(name)
        if value:
            return value
    return None


def _capabilities(engine_caps: Capabilities, conf: DeploymentConfig) -> Capabilities | None:
    if conf.tasks is None and conf.max_n is None:
        return None
    return Capabilities(
        tasks=frozenset(conf.tasks) if conf.tasks is not None else engine_caps.tasks,
        max_n=conf.max_n or engine_caps.max_n,
        formats=engine_caps.formats,
        sizes=engine_caps.sizes,
        max_side=engine_caps.max_side,
        min_side=engine_caps.min_side,
        transparent_background=engine_caps.transparent_background,
        output=engine_caps.output,
    )


def _unset(value: object) -> bool:
    return value is None or value == {}


def _combined(first: DeploymentConfig, second: DeploymentConfig, name: str) -> DeploymentConfig:
    """One deployment named in several routes: settings given in one place fill the ones left
    unset in another (a routes file pricing a deployment the built-in table also lists);
    two different values for the same setting are an error."""
    update: dict[str, object] = {}
    for field in DeploymentConfig.model_fields:
        mine, theirs = getattr(first, field), getattr(second, field)
        if mine == theirs or _unset(theirs):
            continue
        if _unset(mine):
            update[field] = theirs
            continue
        raise RoutesFileError(
            f"Deployment '{name}' is configured twice with different '{field}' ({mine!r} and {theirs!r}); "
            "give one of them its own 'name'"
        )
    return first.model_copy(update=update) if update else first


class _Builder:
    def __init__(
        self,
        config: RoutesConfig,
        env: Mapping[str, str],
        transport: httpx.AsyncBaseTransport | None,
        clock: Clock,
        fetch_allow: Sequence[str] = (),
    ) -> None:
        self.fetch_allow = list(fetch_allow)
        self.config = config
        self.env = env
        self.transport = transport
        self.clock = clock
        self.built: dict[str, Deployment] = {}
        self.settings: dict[str, DeploymentConfig] = {}
        for public, confs in config.routes.items():
            for conf in confs:
                name, resolved = self.name_of(public, conf), conf.model_copy(update={"model": conf.model or public})
                known = self.settings.get(name)
                self.settings[name] = resolved if known is None else _combined(known, resolved, name)

    def name_of(self, public: str, conf: DeploymentConfig) -> str:
        model = conf.model or public
        kind = self.config.providers[conf.provider].kind
        return conf.name or (model if kind == "design" else f"{conf.provider}/{model}")

    def breaker(self) -> CircuitBreaker:
        conf = self.config.breaker
        return CircuitBreaker(conf.failure_threshold, conf.cooldown_seconds, clock=self.clock)

    def deployment(self, public: str, conf: DeploymentConfig) -> Deployment | None:
        """The deployment ``conf`` names, built once: every route naming it shares it (and
        its breaker and rpm window), with the settings of all its mentions combined."""
        name = self.name_of(public, conf)
        if name in self.built:
            return self.built[name]
        conf = self.settings.get(name, conf)
        provider = self.config.providers[conf.provider]
        model = conf.model or public
        key = provider_key(provider, self.env)
        if key is None and provider.requires_key and provider.kind not in KEYLESS_KINDS:
            return None
        spec = EngineSpec(
            name=name,
            model=model,
            provider=conf.provider,
            api_key=key,
            requires_key=provider.requires_key,
            base_url=(self.env.get(provider.base_url_env) if provider.base_url_env else None) or provider.base_url,
            timeout=conf.timeout or provider.timeout,
            transport=self.transport,
            fetch_allow=self.fetch_allow,
            prices=conf.price_table(),
            token_rates=conf.rates(),
            options={**provider.options, **conf.options},
        )
        engine = build_engine(provider.kind, spec)
        caps = _capabilities(engine.capabilities(), conf)
        if caps is not None:
            spec.capabilities = caps
        built = Deployment(
            name=engine.name,
            engine=engine,
            provider=conf.provider,
            model=model,
            timeout=conf.timeout or provider.timeout,
            # hosted engines price from the spec's table themselves, at the quality they send
            # upstream (DALL·E 3's "hd" for "high"); a table here would see the raw word
            prices=None if isinstance(engine, HostedEngine) else conf.price_table(),
            breaker=self.breaker(),
            rpm=RpmWindow(conf.rpm, clock=self.clock) if conf.rpm else None,
        )
        self.built[name] = built
        return built

    def default(self) -> Deployment:
        conf = DeploymentConfig(provider=self.config.default_engine)
        built = self.deployment("atelier-design", conf)
        if built is None:
            raise ValueError(f"The default engine '{self.config.default_engine}' cannot be built")
        return built


def build_router(
    config: RoutesConfig,
    *,
    env: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
    rng: random.Random | None = None,
    fetch_allow: Sequence[str] = (),
) -> Router:
    """``fetch_allow``: private hosts/networks provider output files may come from (besides
    each provider's own API host), as ``fetch.allow_private`` in settings."""
    builder = _Builder(config, os.environ if env is None else env, transport, clock, fetch_allow)
    routes: dict[str, list[Deployment]] = {}
    for public, confs in config.routes.items():
        deployments = [d for d in (builder.deployment(public, conf) for conf in confs) if d is not None]
        routes[public] = deployments or [builder.default()]
    for public in config.builtin_models:
        routes.setdefault(public, [builder.default()])
    return Router(routes, retry=config.retry, sleep=sleep, clock=clock, rng=rng)


def router_from_settings(
    routes_file: Path | str | None = None,
    routes_json: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    fetch_allow: Sequence[str] = (),
) -> Router:
    """What start-up calls: ``router_from_settings(s.engines.routes_file, s.engines.routes_json)``."""
    return build_router(load_routes_config(routes_file, routes_json), env=env, fetch_allow=fetch_allow)
