"""Reads of the volunteers app's sites part for pages, the API and the to-dos: the tree of
practice sites, a team's members, a volunteer found by number or by the blind index, the gaps
(stations without a site, teams without a leader) and the public list of sites.

Every function that takes ``user`` reads only through ``visible_to(user)``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from xuanchuan.core.pii import lookup, normalize_mobile, parse_resident_id, validate_mobile
from xuanchuan.org.models import GRASSROOTS_TYPES, Unit
from xuanchuan.volunteers.models import Brand, MemberRole, Membership, PracticeSite, Team, Volunteer

SEARCH_RESULTS = 10


def sites(user: Any) -> QuerySet[PracticeSite]:
    return PracticeSite.objects.visible_to(user).select_related("unit")


def with_depth(found: list[PracticeSite]) -> list[PracticeSite]:
    """``found`` (ordered by unit path) with ``indent`` set: how deep below the shallowest site of
    the list each one lies on the unit tree (centre 0, institutes 1, stations 2 for the district)."""
    if not found:
        return found
    top = min(site.unit.depth for site in found)
    for site in found:
        site.indent = site.unit.depth - top
    return found


def site_tree(user: Any) -> list[PracticeSite]:
    """The practice sites the user sees as a tree (centre → institutes → stations), by unit path."""
    return with_depth(list(sites(user).order_by("unit__path")))


def sites_below(user: Any, site: PracticeSite) -> list[PracticeSite]:
    """The sites on units below ``site``'s unit (institutes under the centre, stations under an
    institute), as a tree."""
    below = (
        sites(user)
        .filter(unit__path__startswith=site.unit.path, unit__depth__gt=site.unit.depth)
        .order_by("unit__path")
    )
    found = list(below)
    for item in found:
        item.indent = item.unit.depth - site.unit.depth - 1
    return found


def _above_and_below(user: Any) -> Q | None:
    """Rows of the user's unit, the units below it and the units above it (``None``: all rows,
    for district-wide users). A team may carry the district's or the street's brand and be based
    at the street's institute, though those belong to units above the team's own."""
    from xuanchuan.org.scoping import user_sees_all_units

    if user_sees_all_units(user):
        return None
    path = getattr(user, "unit_path", None) or ""
    if not path:
        return Q(pk__in=[])
    step = Unit.steplen
    ancestors = [path[:end] for end in range(step, len(path), step)]
    return Q(unit__path__in=ancestors) | Q(unit__path__startswith=path)


def offered_brands(user: Any) -> QuerySet[Brand]:
    """Active brands a team of the user's may carry: the user's unit's, those of the units above
    it (the district's 十大品牌) and below it."""
    condition = _above_and_below(user)
    # scoping: allowed — brands of the units above are offered on purpose (names only).
    found = Brand.objects.filter(active=True).select_related("unit").order_by("unit__path", "name")
    return found if condition is None else found.filter(condition)


def offered_sites(user: Any) -> QuerySet[PracticeSite]:
    """Active practice sites a team of the user's may be based at: of the user's unit, the units
    above it (the street's institute, the district's centre) and below it."""
    condition = _above_and_below(user)
    # scoping: allowed — the sites of the units above are public information.
    found = PracticeSite.objects.filter(active=True).select_related("unit").order_by("unit__path")
    return found if condition is None else found.filter(condition)


def teams(user: Any) -> QuerySet[Team]:
    """The teams the user sees, with their brand, site and unit, and the number of current members."""
    return (
        Team.objects.visible_to(user)
        .select_related("unit", "brand", "site")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
    )


@dataclass
class Roster:
    """A team's members: the current ones (leader first) and those who left (latest first)."""

    current: list[Membership] = field(default_factory=list)
    former: list[Membership] = field(default_factory=list)

    @property
    def leader(self) -> Membership | None:
        return next((m for m in self.current if m.role == MemberRole.LEADER), None)


def roster(user: Any, team: Team) -> Roster:
    memberships = (
        Membership.objects.visible_to(user)
        .filter(team=team)
        .select_related("volunteer", "volunteer__unit")
        .order_by("-left_on", "joined_on", "pk")
    )
    result = Roster()
    for membership in memberships:
        (result.former if membership.left_on else result.current).append(membership)
    result.current.sort(key=lambda m: (m.role != MemberRole.LEADER, m.joined_on, m.pk))
    result.former.sort(key=lambda m: (m.left_on, m.pk), reverse=True)
    return result


def find_volunteers(user: Any, text: str) -> list[Volunteer]:
    """Volunteers of the user's scope found by what was typed: the volunteer number, or the exact
    ID number or mobile number through their blind indexes. Never a substring of personal data."""
    text = (text or "").strip()[:40]
    if not text:
        return []
    found = Volunteer.objects.visible_to(user).select_related("unit")
    conditions = Q(number=text.upper())
    with contextlib.suppress(ValidationError, ValueError):
        conditions |= Q(**lookup(Volunteer, "id_number", parse_resident_id(text, allow_foreigners=False).number))
    try:
        phone = normalize_mobile(text)
        validate_mobile(phone)
        conditions |= Q(**lookup(Volunteer, "phone", phone))
    except (ValidationError, ValueError):
        pass
    return list(found.filter(conditions).order_by("number")[:SEARCH_RESULTS])


def stations_without_site(user: Any) -> QuerySet[Unit]:
    """Communities and villages in the user's scope (existing today) that have no practice station."""
    has_site = PracticeSite.objects.filter(unit=OuterRef("pk"))  # scoping: allowed (a unit's own site)
    return (
        Unit.objects.visible_to(user)
        .active_on(timezone.localdate())
        .filter(unit_type__in=GRASSROOTS_TYPES)
        .exclude(Exists(has_site))
    )


def teams_without_leader(user: Any) -> QuerySet[Team]:
    """Teams in the user's scope, not dissolved, with no current leader."""
    leader = Membership.objects.filter(  # scoping: allowed (the team's own memberships)
        team=OuterRef("pk"), role=MemberRole.LEADER, left_on__isnull=True
    )
    return Team.objects.visible_to(user).filter(dissolved_on__isnull=True).exclude(Exists(leader))


@dataclass
class StreetGroup:
    """The public list's group of sites: a street or town (or the district for the centre)."""

    name: str
    sites: list[PracticeSite] = field(default_factory=list)


def public_sites() -> list[StreetGroup]:
    """Every active practice site, grouped by the street or town it lies in (the centre first, on
    its own), for the public phone page. Sites are public information: names, addresses, opening
    hours and the phone the site publishes."""
    # scoping: allowed — the public list of practice sites, shown to anyone on purpose.
    found = list(PracticeSite.objects.filter(active=True).select_related("unit").order_by("unit__path"))
    if not found:
        return []
    # The district is the root of the unit tree (depth 1); its streets and towns are at depth 2.
    street_length = Unit.steplen * 2
    prefixes = {site.unit.path[:street_length] for site in found if site.unit.depth > 2}
    # scoping: allowed — the names of the streets the public sites lie in.
    names = dict(Unit.objects.filter(path__in=prefixes).values_list("path", "name"))
    groups: dict[str, StreetGroup] = {}
    for site in found:
        key = site.unit.path[:street_length] if site.unit.depth >= 2 else site.unit.path
        name = names.get(key) or site.unit.name
        groups.setdefault(key, StreetGroup(name)).sites.append(site)
    return list(groups.values())
