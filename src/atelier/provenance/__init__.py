"""Content Credentials (C2PA): every stored image carries a signed manifest saying what made
it, and any file can be checked (``GET /v1/assets/{id}/provenance``, ``atelier verify``)."""
