"""A provider's moderation endpoint, OpenAI's protocol (``POST /v1/moderations``): asked
about every prompt when ``content_policy.moderation_url`` is set."""

from __future__ import annotations

import httpx

from atelier.settings import ContentPolicySettings, PolicyCategory

#: The protocol's category names → the policy's.
CATEGORY_MAP = {
    "sexual": PolicyCategory.SEXUAL,
    "sexual/minors": PolicyCategory.SEXUAL_MINORS,
    "hate": PolicyCategory.HATE,
    "hate/threatening": PolicyCategory.HATE,
}


def endpoint(url: str) -> str:
    """``https://host`` and ``https://host/v1`` mean ``…/v1/moderations``; a full URL is kept."""
    url = url.rstrip("/")
    if url.endswith("/moderations"):
        return url
    return f"{url}/moderations" if url.endswith("/v1") else f"{url}/v1/moderations"


class Moderation:
    def __init__(self, settings: ContentPolicySettings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        assert settings.moderation_url is not None
        key = settings.moderation_api_key.get_secret_value() if settings.moderation_api_key else None
        self.url = endpoint(settings.moderation_url)
        self.model = settings.moderation_model
        self.client = httpx.AsyncClient(
            timeout=settings.moderation_timeout_seconds,
            headers={"Authorization": f"Bearer {key}"} if key else {},
            transport=transport,
        )

    async def categories(self, text: str) -> set[PolicyCategory]:
        """The policy categories the endpoint flagged ``text`` for."""
        response = await self.client.post(self.url, json={"model": self.model, "input": text})
        response.raise_for_status()
        flagged: set[PolicyCategory] = set()
        for result in response.json()["results"]:
            for name, value in (result.get("categories") or {}).items():
                if value is True and name in CATEGORY_MAP:
                    flagged.add(CATEGORY_MAP[name])
        return flagged

    async def aclose(self) -> None:
        await self.client.aclose()
