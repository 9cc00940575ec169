"""Demo data for the rights module (called by load_demo after orgs)."""

from __future__ import annotations


def load(stdout, full: bool = False) -> None:
    return None
