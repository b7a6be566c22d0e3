"""The venues part of the demo (on org's part alone, so it stands whatever the other parts do):
venues of every kind, the open venues, courtyards, bookshops, established associations and their
members growing from the year before last to this year, associations in preparation in each year,
the objects left for the later parts, one former member; the same seed gives the same records."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from xuanchuan.core.demo import DemoContext
from xuanchuan.culture import demo_venues
from xuanchuan.culture.models import Association, AssociationMember, AssociationStatus, Venue, VenueKind
from xuanchuan.org import demo as org_demo
from xuanchuan.reports.registry import Period, compute

pytestmark = pytest.mark.django_db
GROWING = ("culture.venues", "culture.courtyards", "culture.bookshops", "culture.association_members")


def seeded(seed: int = 2026, now=None) -> DemoContext:
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    ctx = DemoContext(seed=seed, now=now or timezone.now(), write=lambda line: None)
    org_demo.seed(ctx.for_part("org"))
    demo_venues.seed(ctx.for_part("culture"))
    return ctx


def test_the_part_grows_over_the_three_years_and_leaves_its_objects() -> None:
    ctx = seeded()
    for key in GROWING:
        values = [compute(key, Period.year(year)).value for year in ctx.years]
        assert 0 < values[0] <= values[1] <= values[2] and values[0] < values[2], (key, values)
    for key in ("culture.associations_established", "culture.associations_preparing"):
        assert all(compute(key, Period.year(year)).value for year in ctx.years), key
    assert set(VenueKind.values) <= {venue.kind for venue in Venue.objects.all()}
    assert Venue.objects.filter(active=False).count() == 1
    assert all(venue.active for venue in ctx.shared["culture_venues"])
    statuses = sorted(a.status for a in ctx.shared["culture_associations"])
    assert statuses == sorted([AssociationStatus.ESTABLISHED] * 2 + [AssociationStatus.PREPARING] * 2)
    assert AssociationMember.objects.filter(left_on__year=ctx.years[1]).count() == 1
    assert not AssociationMember.objects.filter(phone="").exists()


def fingerprint() -> list[tuple]:
    return [
        *Venue.objects.order_by("name").values_list("name", "kind", "capacity", "created_at", "active"),
        *Association.objects.order_by("name").values_list("name", "status", "established_on", "leader"),
        *AssociationMember.objects.order_by("association__name", "name", "joined_on").values_list(
            "name", "role", "joined_on", "left_on"
        ),
    ]


def test_the_same_seed_gives_the_same_records() -> None:
    now = timezone.now()
    seeded(7, now)
    first = fingerprint()
    AssociationMember.objects.all().delete()
    Association.objects.all().delete()
    Venue.objects.all().delete()
    org_demo.reset(DemoContext(seed=7, now=now, write=lambda line: None))
    seeded(7, now)
    assert fingerprint() == first
