"""The Atelier Console: server-rendered pages at ``/`` over the same ``/v1`` API, plus the
API documentation (Swagger UI, ReDoc) served from assets shipped in this package."""
