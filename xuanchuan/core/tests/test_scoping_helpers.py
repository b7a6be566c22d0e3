"""The shared scoping helpers: one answer (404) for another unit's row, a missing row and a key
that is no key at all; ``?unit=`` parsed one way."""

from __future__ import annotations

import pytest
from django.http import Http404

from xuanchuan.core.views import visible_or_404
from xuanchuan.org.models import Unit, User
from xuanchuan.org.scoping import requested_unit, user_sees_all_units


@pytest.mark.django_db
def test_visible_or_404_gives_the_same_answer_for_theirs_missing_and_malformed(district, bob, charlie) -> None:
    assert visible_or_404(Unit, bob, district.east_community.pk) == district.east_community
    assert visible_or_404(User.objects.filter(is_active=True), bob, str(bob.pk)) == bob
    for key in (district.east.pk, 999_999, "x", "", None, 2**70, "1; drop"):
        with pytest.raises(Http404):
            visible_or_404(Unit, charlie, key)


@pytest.mark.django_db
def test_requested_unit(district, alice, bob, charlie) -> None:
    assert requested_unit(alice, "") is None
    assert requested_unit(bob, None) == district.east
    assert requested_unit(bob, f" {district.east_community.pk} ") == district.east_community
    assert requested_unit(alice, str(district.west.pk)) == district.west
    for raw in (str(district.east.pk), "abc", "-1", "9" * 40):
        with pytest.raises(Http404):
            requested_unit(charlie, raw)
    assert user_sees_all_units(alice) and not user_sees_all_units(bob)
