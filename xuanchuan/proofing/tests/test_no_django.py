"""The engine is a plain Python library: it imports and works where Django cannot be imported."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# Django (and Celery, whose Django fix-up xuanchuan/__init__.py would pull in) made unimportable;
# the package `xuanchuan` replaced by an empty namespace so only xuanchuan.proofing itself is loaded.
SCRIPT = textwrap.dedent(
    """
    import importlib.abc, sys, types

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("django", "celery", "ninja"):
                raise ImportError(f"blocked: {name}")
            return None

    sys.meta_path.insert(0, Block())
    package = types.ModuleType("xuanchuan")
    package.__path__ = [sys.argv[1] + "/xuanchuan"]
    sys.modules["xuanchuan"] = package

    from xuanchuan.proofing import check
    findings = check("深入推进打黑除恶专项斗争，扫H除E。")
    assert [f.suggestion for f in findings if f.kind == "formulation"] == ["扫黑除恶", "扫黑除恶"], findings
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("django", "celery"))
    assert not loaded, loaded
    print("ok")
    """
)


def test_imports_and_checks_without_django():
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT, str(ROOT)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_no_module_mentions_django():
    package = ROOT / "xuanchuan" / "proofing"
    for path in package.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import django" not in source and "from django" not in source, path
