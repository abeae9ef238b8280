"""What each organization role may do, as the scopes it caps a principal to.

A JWT holds every scope its role allows; an API key holds the scopes it was minted with
that its creator's role still allows (a demoted member's keys lose the rest at once).
``admin`` (the instance administrator's scope) is not the organization's to give or take:
it passes through and its routes also need the user's instance admin role."""

from __future__ import annotations

from atelier.auth.scopes import ALL_SCOPES, Scope
from atelier.organizations.models import OrgRole

_VIEWER = frozenset({Scope.READ.value, Scope.ACCOUNT.value})
_MEMBER = _VIEWER | {Scope.GENERATE.value, Scope.GALLERY.value}
_ADMIN = _MEMBER | {Scope.KEYS.value, Scope.WEBHOOKS.value, Scope.BILLING.value, Scope.MEMBERS.value}

#: role → the scopes it allows (``admin`` included for every role: see the module docstring).
ROLE_SCOPES: dict[str, frozenset[str]] = {
    OrgRole.VIEWER.value: _VIEWER | {Scope.ADMIN.value},
    OrgRole.MEMBER.value: _MEMBER | {Scope.ADMIN.value},
    OrgRole.ADMIN.value: _ADMIN | {Scope.ADMIN.value},
    OrgRole.OWNER.value: frozenset(ALL_SCOPES),
}


def allowed_scopes(role: str) -> frozenset[str]:
    """The scopes ``role`` allows; an unknown role (a row written by hand) allows nothing."""
    return ROLE_SCOPES.get(role, frozenset())
