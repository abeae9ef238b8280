"""ASGI entry point for uvicorn/gunicorn: ``uvicorn atelier.asgi:app``."""

from atelier.app import create_app

app = create_app()
