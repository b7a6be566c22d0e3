"""The navigation marks an entry active for its own pages only."""

from __future__ import annotations

import pytest

from xuanchuan.core.templatetags.navigation import is_section_of


@pytest.mark.parametrize(
    ("path", "url", "expected"),
    [
        ("/outbreak/board/", "/outbreak/", True),
        ("/outbreak/", "/outbreak/", True),
        ("/reports/dashboards/outbreak/", "/outbreak/", False),
        ("/reports/figures/", "/reports/documents/", False),
        ("/reports/documents/", "/reports/documents/", True),
        ("/anything/", "", False),
    ],
)
def test_is_section_of(path: str, url: str, expected: bool) -> None:
    assert is_section_of(path, url) is expected


def test_every_module_has_its_own_place_in_the_navigation() -> None:
    """Entries are ordered by the report's lines of work (docs/architecture.md §6), none shares a place."""
    from xuanchuan.core.navigation import _nav

    orders = [item.order for item in _nav]
    assert len(orders) == len(set(orders)), sorted(orders)
    labels = [str(item.label) for item in _nav]
    assert labels.index("疫情上报") < labels.index("电子通行证") < labels.index("来返人员")


def test_the_page_numbers_are_elided_around_the_page_shown() -> None:
    from django.core.paginator import Paginator

    from xuanchuan.core.templatetags.navigation import elided_page_range

    page = Paginator(range(400), 10).get_page(20)
    numbers = list(elided_page_range(page))
    assert 20 in numbers and numbers[0] == 1 and numbers[-1] == 40
    assert numbers.count(Paginator.ELLIPSIS) == 2
