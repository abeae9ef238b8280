"""Mounting the console on the application: its pages, images, static files and the
offline API documentation. ``create_app`` calls :func:`mount_console` once."""

from __future__ import annotations

from fastapi import FastAPI

from atelier.console import auth_pages, docs, images, static_files, views
from atelier.console.pages import SignInRequired, sign_in_redirect


def mount_console(app: FastAPI) -> None:
    app.add_exception_handler(SignInRequired, sign_in_redirect)
    for router in (docs.router, static_files.router, auth_pages.router, views.router, images.router):
        app.include_router(router)
