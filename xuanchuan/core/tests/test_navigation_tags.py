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
