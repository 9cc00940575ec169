"""How a model relates to the org tree, declared on the model as `scope = ScopeSpec(...)`.

`core.permissions.filter_for` reads it to narrow any queryset to what a user may see, so every
list, detail, API endpoint and export shares one definition of "theirs".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class ScopeSpec:
    # lookup from the model to its owning Org ("" when the model is the Org itself; None: no org)
    org: str | None = None
    # a copy of the owning org's path on the row itself, for big tables: the subtree becomes one
    # index range on this table instead of a join through orgs (the services keep it in step)
    path: str | None = None
    # lookup from the model to a User who owns the record (a worker sees their own records)
    owner: str | None = None
    # ownership goes through the user's Person record (a case's worker, a member): users without
    # one own nothing here, so their scope skips that branch and stays a plain indexed filter
    owner_via_person: bool = True
    # lookup from the model to an Enterprise (an enterprise contact sees their enterprise's records)
    enterprise: str | None = None
    # more ways into a subtree, given the granted org paths: a queryset of this model's pks
    # (e.g. people through their memberships)
    also: Callable[[list[str]], QuerySet] | None = None
    # how a partner agency reaches a record shared with it, given the agency org ids and the
    # permission asked for (a read-only share grants view, not edit)
    shared: Callable[[list[int], str], Q] | None = None
