from __future__ import annotations

import httpx
from sqlalchemy import text

from atelier.models import metadata
from tests.helpers.accounts import create_key, register


async def test_no_key_or_password_stored_in_plaintext(client: httpx.AsyncClient, app: object) -> None:
    password = "plaintext-password-canary"
    account = await register(client, password=password)
    keys = [await create_key(client, account) for _ in range(2)]
    await client.post("/v1/auth/login", json={"email": account.email, "password": "wrong-" + password})

    dump: list[str] = []
    runtime = app.state.runtime  # type: ignore[attr-defined]
    async with runtime.engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = (await conn.execute(text(f'SELECT * FROM "{table.name}"'))).all()
            dump.extend(str(value) for row in rows for value in row)
    blob = "\n".join(dump)
    assert account.email in blob  # the scan does see the data
    for secret in [password, *keys, *(k[4:] for k in keys)]:
        assert secret not in blob
