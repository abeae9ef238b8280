"""Layouts for the formats people order beyond logos and posters: business cards, tickets,
invitations, certificates and vouchers, menus, e-mail headers, video thumbnails, covers,
full-bleed app icons and true monograms. Each composer draws on a
:class:`~atelier.design.composer.Composer` and returns the layout it used."""

from __future__ import annotations

from collections.abc import Callable

from atelier.design.brief import Brief
from atelier.design.composer import Composer
from atelier.design.formats.cards import business_card, certificate, invitation
from atelier.design.formats.marks import app_icon, monogram
from atelier.design.formats.screens import cover, email_header, thumbnail
from atelier.design.formats.tickets import menu, ticket

Layout = Callable[[Composer, Brief, str, str], str]

LAYOUTS: dict[str, tuple[str, ...]] = {
    "business_card": ("classic", "centered", "panel"),
    "ticket": ("stub", "band", "solid"),
    "invitation": ("classic", "framed", "band"),
    "certificate": ("formal", "classic"),
    "menu": ("classic", "board"),
    "email_header": ("split", "lockup", "bar"),
    "thumbnail": ("bold", "mirror", "caption"),
    "cover": ("bold", "type", "framed"),
    "app_icon": ("solid", "disc", "ring"),
    "monogram": ("ring", "double", "seal"),
}
COMPOSERS: dict[str, Layout] = {
    "business_card": business_card,
    "ticket": ticket,
    "invitation": invitation,
    "certificate": certificate,
    "menu": menu,
    "email_header": email_header,
    "thumbnail": thumbnail,
    "cover": cover,
    "app_icon": app_icon,
    "monogram": monogram,
}
