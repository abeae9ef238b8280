"""What an API key may do. A JWT (a user's own session) holds every scope its organization
role allows (``organizations.roles``); a key holds the scopes it was minted with that its
creator's role still allows, never more than the credential that minted it. Every route
declares the scope it needs (``auth.access``); admin routes also need the admin role."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    READ = "read"
    GENERATE = "generate"
    GALLERY = "gallery"
    KEYS = "keys"
    ACCOUNT = "account"
    BILLING = "billing"
    WEBHOOKS = "webhooks"
    MEMBERS = "members"
    ORGANIZATION = "organization"
    ADMIN = "admin"


#: What each scope grants, for the README, OpenAPI and the key creation docs.
SCOPE_DESCRIPTIONS: dict[Scope, str] = {
    Scope.READ: "Read the organization: profile, projects, jobs, gallery, specs, credits, usage, webhooks.",
    Scope.GENERATE: "Submit, follow and cancel generations, renders and specs; create projects.",
    Scope.GALLERY: "Change the gallery: favourite, publish or delete assets.",
    Scope.KEYS: "List, create and revoke API keys (never with more scopes than the caller has).",
    Scope.ACCOUNT: "Change the profile; a password change also needs the current password.",
    Scope.BILLING: "Set budgets and spending caps.",
    Scope.WEBHOOKS: "Create and delete webhook endpoints; read and rotate the signing secret.",
    Scope.MEMBERS: "Invite organization members, change their roles and remove them.",
    Scope.ORGANIZATION: "Delete the organization (its owners, signed in; never an API key).",
    Scope.ADMIN: "Administer the instance (with the admin role): roles, accounts, plans, audit, metrics.",
}

ALL_SCOPES: tuple[str, ...] = tuple(scope.value for scope in Scope)
#: The scopes every key had before billing, webhooks, gallery and account were separate.
LEGACY_ALL_SCOPES: frozenset[str] = frozenset({"generate", "read", "keys", "admin"})
