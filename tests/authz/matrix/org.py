"""Organisation: setup, branding, profile fields and cards."""

from __future__ import annotations

from parley.access.permissions import Permission
from tests.authz.builders import body
from tests.authz.table import BOTH, permission, public, route, signed_in

SETUP = {
    "organization_name": "x",
    "username": "again",
    "password": "correct-horse-battery",
    "display_name": "Again",
}

SPECS = [
    route("GET", "/setup", public()),
    # Done once, by the first account: refused to everyone afterwards.
    route("POST", "/setup", public(409), build=body(SETUP)),
    route("GET", "/branding", public()),
    route(
        "PUT",
        "/branding",
        permission(),
        perm=Permission.MANAGE_SETTINGS,
        build=body({"primary_color": "#1677ff"}),
    ),
    route("GET", "/branding/manifest.webmanifest", public()),
    route("GET", "/branding/icons/{name}.png", public()),
    route("GET", "/org/profile-fields", signed_in()),
    route(
        "PUT",
        "/org/profile-fields",
        permission(),
        perm=Permission.MANAGE_SETTINGS,
        build=body({"fields": ["email"]}),
    ),
    # Your own card; another person's (the peer, who shares no conversation with anyone):
    # a guest sees only the people of their conversations.
    route(
        "GET",
        "/users/{user_id}/card",
        signed_in(),
        ownership=BOTH,
        overrides={("guest", "other"): 404},
    ),
]
