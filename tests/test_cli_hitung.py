"""``kinerja-xl hitung`` as the user sees it: an 80-column terminal, values that could not be computed and why."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from kinerja_xl.cli.hitung import as_json, compute_values, render

EXAMPLE = Path(__file__).resolve().parents[1] / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"


@pytest.fixture(scope="module")
def example():
    from kinerja_xl.config import Config
    from kinerja_xl.runner import validate_file

    report = validate_file(EXAMPLE)
    return report, compute_values(report.tables, Config())


def terminal(width: int = 80) -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    return Console(file=buf, width=width, force_terminal=True, color_system=None, highlight=False), buf


def test_every_table_fits_80_columns_with_all_its_columns(example):
    report, computed = example
    console, buf = terminal(80)
    render(report, computed, console, "id")
    lines = buf.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 80
    headers = [line for line in lines if line.startswith("┃ Sel")]
    assert headers and all("Besaran" in h and "Nilai" in h and "Isi sekarang" in h and h.endswith("┃") for h in headers)
    assert any("Capaian %" in line and "101,02%" in line for line in lines)


@dataclass(frozen=True)
class Uncomputed:
    """A computed value as the table kinds give it when an input stops the computation (value None, a reason)."""

    kind: str
    sheet: str
    cell: Any
    row_key: str
    label_id: str
    label_en: str
    value: Any = None
    existing: Any = None
    formula: bool = False
    reason: tuple = ("jumlah nilai P1 (E7) di luar rentang yang mungkin", "the sum of scores P1 (E7) is out of range")

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id

    def why(self, lang: str = "id") -> str:
        return self.reason[1] if lang == "en" else self.reason[0]


def test_values_that_could_not_be_computed_are_listed_with_their_reason(example):
    report, computed = example
    skm = next(c for c in computed if c.sheet == "SKM")
    missing = Uncomputed("ikm", "SKM", "E21", "IKM", "IKM", "IKM")
    console, buf = terminal(80)
    render(report, [*computed, missing], console, "id")
    out = buf.getvalue()
    assert "Tidak dapat dihitung:" in out
    assert "IKM (E21), IKM: jumlah nilai P1 (E7) di luar rentang yang mungkin" in out
    console, buf = terminal(80)
    render(report, [*computed, missing], console, "en")
    assert "Could not be computed:" in buf.getvalue() and "the sum of scores P1 (E7) is out of range" in buf.getvalue()
    doc = as_json(report, [skm, missing], "id")
    values = [v for t in doc["tables"] for v in t["values"]]
    assert values[-1]["value"] is None and values[-1]["reason"].startswith("jumlah nilai P1")
    assert values[0]["reason"] is None and values[0]["value"] is not None


def test_a_table_whose_values_all_failed_still_says_why(example):
    report, _ = example
    missing = Uncomputed("capaian", "Capaian IKU", "F6", "1. Nilai IKM Kecamatan", "Capaian %", "Achievement %",
                         reason=("target D6 kosong", "target D6 is empty"))
    console, buf = terminal(80)
    render(report, [missing], console, "id")
    assert "Capaian %" in buf.getvalue() and "target D6 kosong" in buf.getvalue()


def test_piped_hitung_is_never_wrapped_or_cut(example):
    report, computed = example
    buf = io.StringIO()
    from kinerja_xl.cli.common import PIPE_WIDTH

    render(report, computed, Console(file=buf, width=PIPE_WIDTH, soft_wrap=True, highlight=False), "id")
    out = buf.getvalue()
    longest = max((c.row_key for c in computed if c.row_key), key=len)
    assert len(longest) > 40 and longest in out  # the longest row name whole, on one line


def test_computed_values_are_exact(example):
    _, computed = example
    jumlah = next(c for c in computed if c.cell == "C13")
    assert jumlah.value == Decimal("6339676351")
