"""The base of Dreamy Studio's request bodies. Its server drops fields it does not know
(its web app always sends ``quality`` and ``style`` to ``POST /api/generate``), so these
bodies ignore them too, and say which at debug level; the fields it knows keep their
ranges."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

logger = logging.getLogger("atelier.compat.dreamy_studio")


class DreamyBody(BaseModel):
    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _note_unknown_fields(cls, data: Any) -> Any:
        if isinstance(data, dict):
            known = {name for name in cls.model_fields} | {
                f.alias for f in cls.model_fields.values() if f.alias is not None
            }
            unknown = sorted(str(key) for key in data if key not in known)
            if unknown:
                logger.debug("%s: ignoring unknown fields %s", cls.__name__, ", ".join(unknown))
        return data
