"""The one rule for where a webhook may be sent, applied when a URL is given (an endpoint
registered, a generation submitted with ``webhook_url``) and again at each delivery (DNS can
change): http(s), every resolved address public unless allow-listed. A refusal names the
host, never what it resolved to, so it cannot be used to map internal names."""

from __future__ import annotations

from atelier.fetch.safe import FetchFailed, UnsafeUrl
from atelier.kit.errors import ValidationFailed
from atelier.kit.runtime import Runtime
from atelier.webhooks.dispatcher import webhook_fetcher


async def check_webhook_url(runtime: Runtime, url: str, *, field: str) -> None:
    """ValidationFailed (422, naming ``field``) unless webhooks may be delivered to ``url``."""
    try:
        await webhook_fetcher(runtime).check(url)
    except (UnsafeUrl, FetchFailed) as exc:
        raise ValidationFailed(f"Webhook url refused ({field}): {exc.message}", details={"field": field}) from exc
