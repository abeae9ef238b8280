"""What routes import to say who may call them (``auth.access``) and who is calling
(``auth.principal``). There is deliberately no scope-less "current principal": a route
names the scope it needs, or declares itself ``PUBLIC``."""

from atelier.auth.access import (
    PUBLIC,
    AccountPrincipal,
    AdminPrincipal,
    BillingPrincipal,
    GalleryPrincipal,
    GeneratePrincipal,
    JobsPrincipal,
    KeysPrincipal,
    ReadPrincipal,
    ReadSocketPrincipal,
    WebhooksPrincipal,
    requires,
    socket_requires,
)
from atelier.auth.principal import Principal, resolve, user_from_jwt
from atelier.auth.scopes import Scope

__all__ = [
    "PUBLIC",
    "AccountPrincipal",
    "AdminPrincipal",
    "BillingPrincipal",
    "GalleryPrincipal",
    "GeneratePrincipal",
    "JobsPrincipal",
    "KeysPrincipal",
    "Principal",
    "ReadPrincipal",
    "ReadSocketPrincipal",
    "Scope",
    "WebhooksPrincipal",
    "requires",
    "resolve",
    "socket_requires",
    "user_from_jwt",
]
