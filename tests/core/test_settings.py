from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from atelier.settings import Settings


@pytest.mark.parametrize("secret", ["", "changeme", "your-secret-key-change-in-production", "short"])
def test_placeholder_secrets_are_refused_outside_development(secret: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(environment="production", data_dir=tmp_path, auth={"secret_key": secret})  # type: ignore[arg-type]
    Settings(environment="development", data_dir=tmp_path, auth={"secret_key": secret})  # type: ignore[arg-type]


def test_unset_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    settings = Settings(environment="production", data_dir=tmp_path)  # type: ignore[arg-type]
    first = settings.signing_secret()
    assert len(first) >= 48 and (tmp_path / "secret.key").read_text() == first
    assert Settings(data_dir=tmp_path).signing_secret() == first


def test_postgres_urls_get_the_async_driver(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="postgresql://u@h/db")
    assert settings.resolved_database_url == "postgresql+asyncpg://u@h/db" and not settings.is_sqlite
    assert Settings(data_dir=tmp_path).is_sqlite
