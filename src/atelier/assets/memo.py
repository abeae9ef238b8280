"""The bytes of an asset this process has just stored, kept with its ``Asset`` object.

A synchronous request answered with ``b64_json`` (``assets.service.asset_b64``) used to read
back from storage the image its job had written a moment before: a file read on local
storage, a GET on S3. The runner that stored the bytes hands them over with the asset instead, for as long as
that ``Asset`` object lives (a weak reference: nothing is kept once the request is answered).
An asset read from the database has no bytes here and is read from storage."""

from __future__ import annotations

import weakref

from atelier.jobs.models import Asset
from atelier.kit.runtime import Runtime

_stored: weakref.WeakKeyDictionary[Asset, bytes] = weakref.WeakKeyDictionary()


def remember_bytes(asset: Asset, data: bytes) -> None:
    """``data``: exactly what was stored under ``asset.storage_key``."""
    _stored[asset] = data


async def asset_bytes(runtime: Runtime, asset: Asset) -> bytes:
    """The asset's stored bytes: handed over by the runner that stored them, else read."""
    found = _stored.get(asset)
    return found if found is not None else await runtime.storage.get(asset.storage_key)
