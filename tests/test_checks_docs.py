"""docs/issues.md documents every issue code with its Chinese title (and nothing stale)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import jixiao
from jixiao.issues import CODES

# every module that registers a code is imported, so CODES is complete
for _m in pkgutil.walk_packages(jixiao.__path__, "jixiao."):
    if not _m.name.endswith("__main__"):
        importlib.import_module(_m.name)

DOC = Path(__file__).resolve().parents[1] / "docs" / "issues.md"
ROW = re.compile(r"^\|\s*`([EWI]-[A-Z0-9-]+)`\s*\|\s*(error|warning|info)\s*\|\s*([^|]+?)\s*\|")


def test_every_code_is_documented_and_no_stale_code():
    rows = {
        m.group(1): (m.group(2), m.group(3))
        for line in DOC.read_text(encoding="utf-8").splitlines()
        if (m := ROW.match(line))
    }
    from jixiao.checks import codes as C

    ours = {
        v
        for k, v in vars(C).items()
        if k.isupper() and isinstance(v, str) and re.fullmatch(r"[EWI]-[A-Z0-9-]+", v)
    }
    for code in ours:
        assert code in rows, f"{code} missing from docs/issues.md"
        assert rows[code] == CODES[code][:2], f"{code}: docs say {rows[code]}, code says {CODES[code][:2]}"
    for code, (sev, title) in rows.items():
        assert code in CODES, f"docs/issues.md documents unknown code {code}"
        assert CODES[code][:2] == (sev, title), code
    for code, (sev, *_) in CODES.items():
        assert code in rows, f"{code} (registered by some module) missing from docs/issues.md"
        assert code[0] == {"error": "E", "warning": "W", "info": "I"}[sev], code
