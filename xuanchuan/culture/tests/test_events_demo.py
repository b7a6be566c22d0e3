"""The events part of the demo: over the current year and the two before it, the three district
series a year (names usable as a figure's argument, without ASCII brackets), events of every kind
at venues and at addresses, held with an audience, a few cancelled, this year's coming ones
planned and a few of the past days not yet recorded, a few with photos and a link entered through
the services; every figure of the part non-zero in each year, the events and their audience
growing."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from xuanchuan.core.demo import DemoContext
from xuanchuan.culture import demo_events, demo_venues
from xuanchuan.culture.models import Event, EventKind, EventLink, EventPhoto, EventStatus, Series
from xuanchuan.org import demo as org_demo
from xuanchuan.reports.registry import Period, clean_argument, compute, get_figure

pytestmark = pytest.mark.django_db
KEYS = (
    "culture.events",
    "culture.series",
    "culture.countryside_events",
    "culture.stage_events",
    "culture.study_trips",
    "culture.reading_events",
    "culture.event_audience",
)


def test_three_years_growing(db):
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    ctx = DemoContext(seed=2026, write=lambda _text: None)
    org_demo.seed(ctx.for_part("org"))
    demo_venues.seed(ctx.for_part("culture_venues"))
    made = demo_events.seed(ctx.for_part("culture_events"))
    years = ctx.years
    assert ctx.shared["culture_series"] == made and len(made) == Series.objects.count()
    for year in years:
        district_series = Series.objects.filter(year=year, unit__depth=1)
        assert district_series.count() == 3
        for item in Series.objects.filter(year=year):
            assert clean_argument(item.name) == item.name and "(" not in item.name
    for key in KEYS:
        values = [compute(key, Period.year(year)).value for year in years]
        assert all(values), (key, values)
        assert values == sorted(values), (key, values)
    for key in ("culture.events", "culture.event_audience"):
        values = [compute(key, Period.year(year)).value for year in years]
        assert values[0] < values[1] < values[2], (key, values)
    for year in years:  # the venues part's figure of associations' events has data too
        assert compute("culture.association_events", Period.year(year)).value, year
    spring = next(item for item in made if "欢乐中国年" in item.name)
    assert get_figure(f"culture.series_events({spring.name})").compute(Period.year(years[0])).value > 0
    assert set(Event.objects.values_list("kind", flat=True)) == set(EventKind.values)
    assert Event.objects.filter(venue__isnull=False).exists() and Event.objects.filter(venue__isnull=True).exists()
    assert Event.objects.filter(status=EventStatus.CANCELLED).exclude(cancel_reason="").exists()
    assert Event.objects.filter(status=EventStatus.PLANNED, starts_at__gt=ctx.now).exists()
    assert Event.objects.filter(status=EventStatus.PLANNED, ends_at__lt=ctx.now).exists()  # a to-do to show
    photo = EventPhoto.objects.first()
    assert EventPhoto.objects.count() >= 4 and photo.image.storage.exists(photo.image.name)
    assert EventLink.objects.count() >= 2 and all(
        url.startswith("https://") for url in EventLink.objects.values_list("url", flat=True)
    )
