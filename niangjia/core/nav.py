"""Module registry for navigation: each domain app registers its staff and public entry points.

Only installed modules appear, so the navigation never links to something that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str | None = None  # shown to staff holding this permission (None: every staff user)
    icon: str = "circle"
    description: str = ""
    children: tuple[NavItem, ...] = field(default_factory=tuple)
    # a finer test than the permission, given the user (e.g. a subtree grant, not an agency share)
    visible: Callable | None = None


STAFF_NAV: list[NavItem] = []
PUBLIC_ENTRIES: list[NavItem] = []
# Panels on the staff home page: callables (request) -> {"template": …, **context} or None.
HOME_PANELS: list[Callable] = []


def register_staff(item: NavItem) -> None:
    if item not in STAFF_NAV:
        STAFF_NAV.append(item)


def register_public(item: NavItem) -> None:
    if item not in PUBLIC_ENTRIES:
        PUBLIC_ENTRIES.append(item)


def register_home_panel(panel: Callable) -> None:
    if panel not in HOME_PANELS:
        HOME_PANELS.append(panel)
