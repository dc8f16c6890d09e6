"""What a button press costs a fresh Python, and that a Python kept alive pays it only once.

With xlwings' "Use UDF Server" on (``kinerja-xl addin build`` sets it) one
Python serves every press: the second press must import nothing and load no
table kind, rule or vocabulary again. Without it every press starts a fresh
Python, so the first press imports only what it needs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from openpyxl.utils import get_column_letter

from kinerja_xl.addin import painter
from kinerja_xl.testing import fake_excel as pl
from kinerja_xl.writeback import files

CHILD = r"""
import json, sys
import xlwings as xw  # RunPython's Python has imported xlwings before our module
from kinerja_xl.testing.fake_excel import remote_engine

remote_engine()
text = open(sys.argv[1], encoding="utf-8").read()
out = []
for press in range(2):
    book = xw.Book(json=json.loads(text))
    book.set_mock_caller()
    if press == 1:  # count what a kept Python must not do again: look up kinds, compile patterns, build schemas
        import importlib.metadata, re._compiler
        import pandera.api.pandas.container as container
        calls, compiled, schemas = [], [], []
        real = importlib.metadata.entry_points
        importlib.metadata.entry_points = lambda *a, **k: calls.append(1) or real(*a, **k)
        real_compile = re._compiler.compile
        re._compiler.compile = lambda *a, **k: compiled.append(a[0]) or real_compile(*a, **k)
        real_init = container.DataFrameSchema.__init__
        container.DataFrameSchema.__init__ = lambda self, *a, **k: schemas.append(1) or real_init(self, *a, **k)
    before = set(sys.modules)
    import kinerja_xl.addin.periksa as button
    from kinerja_xl.addin import entry
    outcome = entry.periksa()
    out.append({"ok": outcome.ok, "message": outcome.message, "findings": outcome.findings,
                "phases": sorted(outcome.phases), "new": sorted(set(sys.modules) - before),
                "entry_points": len(calls) if press == 1 else None,
                "compiled": compiled if press == 1 else None, "schemas": len(schemas) if press == 1 else None})
print(json.dumps(out))
"""


def test_a_second_press_in_the_same_python_imports_and_loads_nothing_again(example_path, tmp_path):
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps(pl.payload_from_file(example_path), default=str), encoding="utf-8")
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(payload)], capture_output=True, text=True, env=env,
                          timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    first, second = json.loads(done.stdout.strip().splitlines()[-1])
    assert first["ok"] and second["ok"], (first["message"], second["message"])
    assert first["findings"] == second["findings"] > 0
    assert first["phases"] == second["phases"] == sorted(["imports", "kinds", "read", "rules", "write-back"])
    # the first press imports the checker, not the file writers: no openpyxl, no lxml
    assert any(m.startswith("kinerja_validators") for m in first["new"])
    assert not [m for m in first["new"] if m.split(".")[0] in ("openpyxl", "lxml")]
    assert second["new"] == []
    assert second["entry_points"] == 0  # the table kinds are not looked up again
    assert second["compiled"] == []  # header vocabularies and rule patterns stay compiled
    assert second["schemas"] == 0  # the pandera schemas are built once


def test_the_painter_spells_the_file_painters_column_letters():
    for col in (1, 2, 26, 27, 52, 53, 702, 703, 16384):
        assert painter.col_letters(col) == get_column_letter(col)
