"""``manage.py proofread FILE [--json]``: text lines or a JSON list, exit 0/1/2."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xuanchuan.conftest import make_person
from xuanchuan.org.models import RoleCode
from xuanchuan.publishing import proofreading
from xuanchuan.publishing.services import lexicons

pytestmark = pytest.mark.django_db

TEXT = "坚持扫H除E专项斗争,推进工作。\n全区XX个单位。\n"


@pytest.fixture(autouse=True)
def _fresh_checker():
    proofreading.CHECKER.forget()
    proofreading.SITE_ALLOW.forget()


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("proofread", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_findings_as_lines_exit_1(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, out, _err = run(str(path))
    assert code == 1
    lines = out.splitlines()
    assert "1:3 formulation high 扫H除E → 扫黑除恶 (" in lines[0]
    assert any(line.startswith("1:11 punctuation low , → ，") for line in lines)
    assert any(line.startswith("2:3 placeholder high XX") for line in lines)


def test_findings_as_json(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode("gb18030"))
    code, out, _err = run(str(path), "--json")
    assert code == 1
    found = json.loads(out)
    assert isinstance(found, list) and found
    for item in found:
        assert {"start", "end", "kind", "severity", "text", "suggestion", "reason"} <= set(item)
        assert TEXT[item["start"] : item["end"]] == item["text"]
    assert {"start": 2, "end": 6, "kind": "formulation", "severity": "high", "text": "扫H除E"}.items() <= found[
        0
    ].items()


def test_a_clean_file_exits_0(tmp_path) -> None:
    path = tmp_path / "ok.txt"
    path.write_text("今天天气很好。", encoding="utf-8")
    assert run(str(path))[0] == 0
    code, out, _err = run(str(path), "--json")
    assert (code, json.loads(out)) == (0, [])


def test_docx_is_read(tmp_path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("第一段。")
    document.add_paragraph("坚持扫H除E。")
    path = tmp_path / "a.docx"
    document.save(path)
    code, out, _err = run(str(path), "--json")
    assert code == 1
    assert json.loads(out)[0]["start"] == len("第一段。\n坚持")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (None, None, "找不到文件"),
        ("a.pdf", b"%PDF", "只能校对 .txt 或 .docx"),
        ("a.docx", b"not a zip", "文件已损坏"),
        ("a.txt", b"abc\x00\x01def", "这不是文本文件"),
        ("a.txt", b"\xff\xfe\x00\xd8\x00", "编码"),
    ],
)
def test_unreadable_files_exit_2_with_a_chinese_message(tmp_path, name, content, message) -> None:
    path = tmp_path / (name or "missing.txt")
    if content is not None:
        path.write_bytes(content)
    code, _out, err = run(str(path))
    assert code == 2
    assert message in err


def test_the_command_uses_the_platform_lexicons(tmp_path, district) -> None:
    keeper = make_person("kate", district.publicity, RoleCode.DEPARTMENT_ADMIN)
    path = tmp_path / "a.txt"
    path.write_text("这是测试禁词丙，共XX人。", encoding="utf-8")
    assert "测试禁词丙" not in run(str(path))[1]
    lexicons.add_entry(kind="sensitive", term="测试禁词丙", by=keeper)
    lexicons.allow_finding(kind="placeholder", text="XX", by=keeper)
    code, out, _err = run(str(path), "--json")
    texts = [item["text"] for item in json.loads(out)]
    assert code == 1 and "测试禁词丙" in texts and "XX" not in texts


def test_exit_codes_from_the_shell(tmp_path) -> None:
    """The real process's exit status (what a script sees), not only call_command's."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    manage = Path(settings.BASE_DIR) / "manage.py"
    clean, dirty = tmp_path / "ok.txt", tmp_path / "bad.txt"
    clean.write_text("今天天气很好。", encoding="utf-8")
    dirty.write_text(TEXT, encoding="utf-8")
    env = {
        **os.environ,
        "XUANCHUAN_DEMO": "1",
        "PYTHON_DOTENV_DISABLED": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path}/none.sqlite3",
    }
    codes = []
    for target in (clean, dirty, tmp_path / "missing.txt"):
        done = subprocess.run(  # noqa: S603 (our own manage.py and a temp file)
            [sys.executable, str(manage), "proofread", str(target)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        codes.append(done.returncode)
    assert codes == [0, 1, 2]
    assert "找不到文件" in done.stderr
