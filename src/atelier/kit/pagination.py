"""The one definition of paging query parameters. Every router's ``offset``, ``page`` and
``limit`` is bounded here, so a hostile value (``offset=2**63`` overflows SQLite's and
PostgreSQL's 64-bit integers) is each contract's validation error, never a 500."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

#: The largest ``offset`` any list accepts (documented in the README's API overview).
MAX_OFFSET = 1_000_000
#: The largest ``page`` (1-based) any paged list accepts; with ``limit`` ≤ 100 it stays within MAX_OFFSET.
MAX_PAGE = 10_000

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"Items to skip, 0-{MAX_OFFSET:,}")]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page number, 1-{MAX_PAGE:,}")]


def limit_query(maximum: int, description: str = "How many") -> Any:
    """A ``limit`` query parameter of 1..``maximum``: ``Annotated[int, limit_query(100)]``."""
    return Query(ge=1, le=maximum, description=f"{description}, 1-{maximum}")


#: The ``pattern`` of a free-text filter: PostgreSQL's text holds no NUL, so a filter with
#: one is a 422, never a database error.
NO_NUL = r"^[^\x00]*$"

Limit100 = Annotated[int, limit_query(100)]
Limit1000 = Annotated[int, limit_query(1000)]
