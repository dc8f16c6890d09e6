"""The seed acceptance for the indicator, PK and cross-table rules on a freshly built example, and
``kinerja-xl hitung``."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from kinerja_xl.cli import app


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    from kinerja_xl.templates import build_example

    return build_example(tmp_path_factory.mktemp("contoh") / "contoh.xlsx")


@pytest.fixture(scope="module")
def report(example):
    from kinerja_xl.runner import validate_file

    return validate_file(example)


def cells(report, prefixes):
    return [(f.code, f.location, f.severity.value) for f in report.findings if f.code.startswith(prefixes)]


def table(report, kind, n=0):
    return [t for t in report.tables if t.kind == kind][n]


# --------------------------------------------------------------------------- seed acceptance


def test_seed_example_has_every_indicator_table(report):
    kinds = [t.kind for t in report.tables]
    for kind, count in (("pk", 1), ("pk_program", 1), ("iku", 1), ("perbandingan", 2), ("renstra", 1)):
        assert kinds.count(kind) == count, kind


def test_seed_pk_jumlah_and_program_budget(report):
    pk = table(report, "pk_program")
    jumlah = pk.frame.index[-1]
    (f,) = [f for f in report.findings if f.code == "KX551"]
    assert (f.sheet, f.cell) == (pk.sheet, pk.cell("anggaran", jumlah))
    assert (f.expected, f.actual) == (Decimal("6339676351"), Decimal("6420166069"))
    (g,) = [f for f in report.findings if f.code == "KX802"]
    assert (g.cell, g.expected) == (pk.cell("anggaran", pk.frame.index[0]), Decimal("6263525069"))


def test_seed_swapped_2021_targets_are_found_at_the_iku_cells(report):
    iku = table(report, "iku")
    rows = {name.split()[1].lower(): r for r, name in zip(iku.frame.index, iku.frame["indikator"])}
    got = [(f.cell, f.actual, f.expected) for f in report.findings if f.code == "KX803"]
    assert got == [(iku.cell("target", rows["hasil"]), 90.0, 85.0), (iku.cell("target", rows["desa"]), 85.0, 90.0)]
    assert all(len(f.related) == 2 for f in report.findings if f.code == "KX803")  # perbandingan and Renstra


def test_seed_pk_targets_are_warnings(report):
    pk = table(report, "pk")
    got = [(f.cell, f.severity.value, f.actual) for f in report.findings if f.code == "KX805"]
    assert got == [(pk.cell("target", r), "warning", v) for r, v in zip(pk.frame.index, (86.32, 79.0, 79.0))]


def test_seed_nothing_else_in_the_indicator_and_cross_rules(report):
    """Every printed capaian % of the seed is right for its own row; realisations agree; all rows match."""
    flagged = {(f.code, f.location) for f in report.findings if f.code.startswith(("KX7", "KX8", "KX55"))
               and f.severity.value != "info"}
    expected_codes = {"KX551", "KX802", "KX803", "KX805"}
    assert {code for code, _ in flagged} == expected_codes
    capaian_cells = {f"'{t.sheet}'!{t.cell(k, r)}" for t in report.tables if t.kind in ("iku", "perbandingan")
                     for k in t.columns if k.startswith("capaian") for r in t.frame.index}
    assert len(capaian_cells) == 9
    assert not [f for f in report.findings if f.location in capaian_cells and f.severity.value != "info"]


# --------------------------------------------------------------------------- hitung


def test_hitung_prints_the_computed_values(example):
    result = CliRunner().invoke(app, ["hitung", str(example)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    for text in ("Capaian IKU", "101,02%", "111,11%", "117,65%", "120,09%", "sangat tinggi", "6.339.676.351"):
        assert text in result.output


def test_hitung_json_and_english(example):
    from kinerja_xl.config import Config
    from kinerja_xl.runner import validate_file
    from kinerja_xl.kinds import compute_all

    result = CliRunner().invoke(app, ["hitung", str(example), "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    values = [v for t in doc["tables"] for v in t["values"]]
    report = validate_file(example)
    assert len(values) == len(compute_all(report.tables, Config()))  # every computed value, nothing else
    iku = next(t for t in doc["tables"] if t["kind"] == "iku")
    assert iku["title"].startswith("Key performance indicator")
    capaian = [v for v in iku["values"] if v["kind"] == "capaian"]
    assert [round(v["value"], 2) for v in capaian] == [101.02, 111.11, 117.65]
    assert capaian[0]["label"] == "Achievement %" and capaian[0]["existing"] == pytest.approx(101.02)
    kinds = {t["kind"] for t in doc["tables"]}
    assert {"iku", "perbandingan", "pk_program", "realisasi"} <= kinds


def test_hitung_unreadable_file_exits_2(tmp_path):
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"bukan excel")
    result = CliRunner().invoke(app, ["hitung", str(bad)])
    assert result.exit_code == 2
    assert "rusak.xlsx" in result.output
    assert CliRunner().invoke(app, ["hitung", str(tmp_path / "tidak-ada.xlsx")]).exit_code == 2


def test_hitung_on_a_blank_template_says_there_is_nothing(tmp_path):
    from kinerja_xl.templates import build_template

    path = build_template("capaian-iku", tmp_path / "iku.xlsx")
    result = CliRunner().invoke(app, ["hitung", str(path)])
    assert result.exit_code == 0
    assert "Tidak ada nilai" in result.output


# --------------------------------------------------------------------------- blank templates


@pytest.mark.parametrize("name, kinds", [
    ("perjanjian-kinerja", ["pk", "pk_program"]),
    ("capaian-iku", ["iku"]),
    ("perbandingan", ["perbandingan", "perbandingan"]),
    ("renstra", ["renstra"]),
])
def test_blank_templates_are_located_as_their_own_tables(tmp_path, name, kinds):
    from kinerja_xl.runner import validate_file
    from kinerja_xl.templates import build_template

    report = validate_file(build_template(name, tmp_path / f"{name}.xlsx"))
    assert [t.kind for t in report.tables] == kinds
    assert report.findings == []


def test_filled_iku_template_gets_its_capaian_computed_into_the_percent_cell(tmp_path):
    from openpyxl import load_workbook

    from kinerja_xl.config import Config
    from kinerja_xl.runner import validate_file
    from kinerja_xl.templates import build_template
    from kinerja_xl.kinds import compute_all

    path = build_template("capaian-iku", tmp_path / "iku.xlsx")
    wb = load_workbook(path)
    ws = wb["Capaian IKU"]
    first = next(r for r in range(1, 20) if ws.cell(r, 1).value == 1)  # the column-number row
    ws.cell(first + 1, 3, "Angka kemiskinan")
    ws.cell(first + 1, 4, 10)
    ws.cell(first + 1, 5, 8)
    ws.cell(first + 1, 8, "negatif")
    wb.save(path)
    report = validate_file(path)
    (c,) = [c for c in compute_all(report.tables, Config()) if c.kind == "capaian"]
    assert (c.cell, round(c.value.value, 2), c.existing) == (f"F{first + 1}", 120.0, None)
