"""Rate-limit rules: which requests, counted per what, how many per window."""

from __future__ import annotations

from dataclasses import dataclass

from limits import RateLimitItem, parse_many


@dataclass(frozen=True)
class Rule:
    name: str
    path_prefix: str
    limits: str
    #: "credential" (API key or user behind a JWT), "organization", or "ip"
    per: str
    methods: frozenset[str] | None = None
    #: Paths under the prefix this rule leaves alone.
    exclude: tuple[str, ...] = ()
    #: Answers that do not count against this rule (a contract whose limit applies only to
    #: requests that reach the route: not the 401 of a missing credential, not a 404). Such a
    #: rule is checked before the request and counted when the answer starts.
    uncounted_statuses: frozenset[int] = frozenset()

    def items(self) -> list[RateLimitItem]:
        return list(parse_many(self.limits))

    def matches(self, method: str, path: str) -> bool:
        if not path.startswith(self.path_prefix) or any(path.startswith(e) for e in self.exclude):
            return False
        return self.methods is None or method in self.methods


#: Routes anyone may call that only report health; they share one budget per address.
HEALTH_PREFIXES = (
    "/health",
    "/monitoring/",
    "/compat/nanodesigner/monitoring/",
    "/compat/pixova/health",
    "/compat/dreamy-studio/health",
    "/compat/nanobanana/health",
)


#: Prompt-to-JSON's limit is per endpoint (one count each), like its ``@limiter.limit`` per route.
PROMPT_TO_JSON_ENDPOINTS = ("/api/v1/generate", "/generate", "/preview/")
#: Answered before the route ran: no valid credential, or no such route.
REFUSED = frozenset({401, 404})


def default_rules(per_key: str, per_org: str, per_ip: str, anonymous_per_ip: str) -> list[Rule]:
    """Atelier's own routes, then each seed contract's documented limits. ``per_ip`` limits
    login and register (native and each contract's own); ``anonymous_per_ip`` the other
    routes anyone may call: the health routes (rules of one name share one count) and
    signed file URLs."""
    return [
        Rule("auth", "/v1/auth/", per_ip, "ip"),
        Rule("key", "/v1/", per_key, "credential", exclude=("/v1/auth/",)),
        Rule("organization", "/v1/", per_org, "organization", exclude=("/v1/auth/",)),
        *(Rule("health", prefix, anonymous_per_ip, "ip") for prefix in HEALTH_PREFIXES),
        Rule("files", "/files/", anonymous_per_ip, "ip"),
        Rule(
            "nanodesigner",
            "/compat/nanodesigner/",
            "100/minute;30/10 seconds",
            "credential",
            exclude=("/compat/nanodesigner/monitoring/",),
        ),
        *(
            Rule(
                f"prompt-to-json:{path}", f"/compat/prompt-to-json{path}", "20/minute", "ip", uncounted_statuses=REFUSED
            )
            for path in PROMPT_TO_JSON_ENDPOINTS
        ),
        Rule("pixova", "/compat/pixova/api/", "100/hour", "ip"),
        Rule("dreamy-general", "/compat/dreamy-studio/api/", "100/15 minutes", "credential"),
        Rule(
            "dreamy-generation",
            "/compat/dreamy-studio/api/generate",
            "10/minute",
            "credential",
            methods=frozenset({"POST"}),
        ),
        # Sign-in style routes only: the profile (``/api/auth/me``), read on every page of
        # the app, is in the general class.
        Rule(
            "dreamy-auth",
            "/compat/dreamy-studio/api/auth/",
            "5/15 minutes",
            "credential",
            exclude=("/compat/dreamy-studio/api/auth/me",),
        ),
        Rule(
            "nanobanana-auth", "/compat/nanobanana/v1/auth/", per_ip, "ip", exclude=("/compat/nanobanana/v1/auth/me",)
        ),
        Rule(
            "nanobanana",
            "/compat/nanobanana/v1/",
            per_key,
            "credential",
            exclude=("/compat/nanobanana/v1/auth/register", "/compat/nanobanana/v1/auth/login"),
        ),
    ]
