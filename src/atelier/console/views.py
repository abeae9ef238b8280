"""The signed-in pages. Each is a server-rendered shell; its data comes from the same
``/v1`` API every client uses, called by ``static/console.js`` with the session cookie and
the page's CSRF token, so the console has no second implementation of anything."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from starlette.responses import Response

from atelier.console.pages import ConsoleAdmin, ConsolePrincipal, render

router = APIRouter(include_in_schema=False)

#: (path, template, title) of the pages every signed-in person sees.
PAGES = (
    ("/playground", "playground.html", "Playground"),
    ("/gallery", "gallery.html", "Gallery"),
    ("/keys", "keys.html", "API keys"),
    ("/usage", "usage.html", "Usage & credits"),
    ("/webhooks", "webhooks.html", "Webhooks"),
)


def _page(template: str, title: str) -> Callable[..., Awaitable[Response]]:
    async def page(request: Request, principal: ConsolePrincipal) -> Response:
        return render(request, template, principal=principal, title=title)

    return page


for _path, _template, _title in PAGES:
    router.add_api_route(_path, _page(_template, _title), methods=["GET"], name=f"console{_path.replace('/', '_')}")


@router.get("/gallery/{asset_id}")
async def asset_page(asset_id: str, request: Request, principal: ConsolePrincipal) -> Response:
    return render(request, "asset.html", principal=principal, title="Image", asset_id=asset_id)


@router.get("/admin")
async def admin_page(request: Request, principal: ConsoleAdmin) -> Response:
    return render(request, "admin.html", principal=principal, title="Administration")
