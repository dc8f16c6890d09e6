"""``kinerja-xl hitung`` as the user sees it: an 80-column terminal, values that could not be computed and why."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from kinerja_xl.cli.hitung import as_json, compute_values, render
from kinerja_xl.i18n import N_, NP_, Message
from kinerja_xl.kinds import Computed

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


def uncomputed(kind: str, sheet: str, cell: str, row_key: str, label: str, reason: Message) -> Computed:
    """A computed value as the table kinds give it when an input stops the computation (value None, a reason)."""
    return Computed(kind, sheet, cell, row_key, label, None, reason=reason)


def test_values_that_could_not_be_computed_are_listed_with_their_reason(example):
    report, computed = example
    skm = next(c for c in computed if c.sheet == "SKM")
    missing = uncomputed("ikm", "SKM", "E21", "IKM", "IKM",
                         Message(N_("sel {word} tidak dapat dibaca ({cell})"), word=NP_("capaian", "realisasi"), cell="E7"))
    console, buf = terminal(80)
    render(report, [*computed, missing], console, "id")
    out = buf.getvalue()
    assert "Tidak dapat dihitung:" in out
    assert "IKM (E21), IKM: sel realisasi tidak dapat dibaca (E7)" in out
    console, buf = terminal(80)
    render(report, [*computed, missing], console, "en")
    assert "Could not be computed:" in buf.getvalue() and "the actual cell cannot be read (E7)" in buf.getvalue()
    doc = as_json(report, [skm, missing], "id")
    values = [v for t in doc["tables"] for v in t["values"]]
    assert values[-1]["value"] is None and values[-1]["reason"] == "sel realisasi tidak dapat dibaca (E7)"
    assert values[0]["reason"] is None and values[0]["value"] is not None


def test_a_table_whose_values_all_failed_still_says_why(example):
    report, _ = example
    missing = uncomputed("capaian", "Capaian IKU", "F6", "1. Nilai IKM Kecamatan", N_("Capaian %"),
                         Message(N_("{word} kosong ({cell})"), word=NP_("capaian", "target"), cell="D6"))
    console, buf = terminal(80)
    render(report, [missing], console, "id")
    assert "Capaian %" in buf.getvalue() and "target kosong (D6)" in buf.getvalue()


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
