"""The short codes read off a screen: the alphabet, typing, and codes that change with time."""

from __future__ import annotations

from xuanchuan.core import screen_codes

AT = 1_800_000_000.0


def test_the_alphabet_has_no_look_alikes_and_typing_is_forgiving() -> None:
    assert len(screen_codes.ALPHABET) == 32 and not set("ILOU") & set(screen_codes.ALPHABET)
    assert screen_codes.normalise(" ab-cd o1l2 ") == "ABCD0112"
    code = screen_codes.random_code(12)
    assert len(code) == 12 and set(code) <= set(screen_codes.ALPHABET)
    assert len({screen_codes.random_code(12) for _ in range(200)}) == 200


def test_a_window_code_is_taken_now_and_one_window_back_only() -> None:
    now = screen_codes.window_code("s3cret", "7", screen_codes.window(60, AT))
    before = screen_codes.window_code("s3cret", "7", screen_codes.window(60, AT) - 1)
    older = screen_codes.window_code("s3cret", "7", screen_codes.window(60, AT) - 2)
    assert len(now) == 8 and set(now) <= set(screen_codes.ALPHABET) and now != before
    assert screen_codes.is_current("s3cret", "7", now.lower(), 60, AT)
    assert screen_codes.is_current("s3cret", "7", before, 60, AT)
    assert not screen_codes.is_current("s3cret", "7", older, 60, AT)
    assert not screen_codes.is_current("other", "7", now, 60, AT)
    assert not screen_codes.is_current("s3cret", "8", now, 60, AT)
    assert screen_codes.seconds_left(60, AT + 59.5) == 1 and screen_codes.seconds_left(60, AT) == 60


def test_a_qr_code_is_inline_svg() -> None:
    svg = screen_codes.qr_svg("https://example.cn/x/")
    assert svg.startswith("<svg") and "http" not in svg.split(">", 1)[0].replace("http://www.w3.org", "")
