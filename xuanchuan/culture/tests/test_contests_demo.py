"""The contests part of the demo: over the current year and the two before it, one competition a
year in three rounds with scores, more contestants and more recommended each year (recommended in
their year), and one campaign a year with more videos on several platforms and more views; every
figure of the part non-zero in each year and growing."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from xuanchuan.core.demo import DemoContext
from xuanchuan.culture import demo_contests
from xuanchuan.culture.metrics_contests import KEYS
from xuanchuan.culture.models import Competition, ProductVideo, Round, Score
from xuanchuan.org import demo as org_demo
from xuanchuan.reports.registry import Period, compute

pytestmark = pytest.mark.django_db


def test_three_years_growing(db):
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    ctx = DemoContext(seed=2026, write=lambda _text: None)
    org_demo.seed(ctx.for_part("org"))
    demo_contests.seed(ctx.for_part("culture_contests"))
    years = ctx.years
    assert Competition.objects.count() == 3 and Round.objects.count() == 9
    for competition in Competition.objects.all():
        assert 15 <= competition.contestants.count() <= 30
        assert 3 <= competition.contestants.filter(recommended_at__isnull=False).count() <= 6
        first, second, final = competition.rounds.order_by("order")
        everyone = competition.contestants.count()
        assert Score.objects.filter(round=first).count() == everyone
        assert Score.objects.filter(round=second).count() == everyone // 2  # the better half went on
        assert Score.objects.filter(round=final).count() == 8
    assert len(set(ProductVideo.objects.values_list("platform", flat=True))) >= 4
    for key in KEYS:
        values = [compute(key, Period.year(year)).value for year in years]
        assert all(values), (key, values)
        assert values == sorted(values), (key, values)
    assert compute("culture.contestants_recommended", Period.year(years[0])).value == 3
    assert (
        compute("culture.product_video_views", Period.year(years[2])).value
        > compute("culture.product_video_views", Period.year(years[0])).value
    )
