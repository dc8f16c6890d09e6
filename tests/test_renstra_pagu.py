"""The Buku Tabel of an RPJMD / Renstra: TARGET | RP. pairs without years, the last pair the kondisi akhir.

Read from the corpus case typed from Jawa Barat's Buku Tabel (urusan kesatuan
bangsa dan politik): the pairs by position, target ranges as text, and the two
identities (KX706 total pagu = Σ the years' pagu, KX707 target akhir = target of
the last year) through the renstra pandera schema.
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja_xl.runner import validate_file

CASE_FILE = Path(__file__).resolve().parent / "corpus" / "jabar-rpjmd-buku-tabel-kesbangpol.yaml"


def _builder():
    # tests/corpus is data plus scripts, not a package: loaded by file under a name of our own
    name = "kinerja_corpus_build"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, CASE_FILE.with_name("build.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def case():
    return _builder().load_case(CASE_FILE)


def _validate(case, tmp_path):
    path, where = _builder().build(case, tmp_path)
    return validate_file(path), where


def test_pairs_read_by_position_last_pair_is_kondisi_akhir(case, tmp_path):
    report, where = _validate(case, tmp_path)
    (table,) = report.tables
    assert table.kind == "renstra"
    # case columns 7..16 (1-based) are the five TARGET | RP. pairs
    assert {k: c + 1 - (where.first_col - 1) for k, c in table.columns.items()} == {
        "target_1": 7, "pagu_1": 8, "target_2": 9, "pagu_2": 10, "target_3": 11, "pagu_3": 12,
        "target_4": 13, "pagu_4": 14, "target_akhir": 15, "pagu_akhir": 16}
    row = where.row_of(4)  # Program Bina Ideologi dan Wawasan Kebangsaan
    assert table.value("pagu_1", row) == 1_231_790_000 * 100  # money in sen
    assert table.value("pagu_akhir", row) == 6_149_428_000 * 100
    assert table.value("target_4", row) == pytest.approx(74.78)


def test_printed_table_raises_no_error_and_ranges_stay_text(case, tmp_path):
    report, where = _validate(case, tmp_path)
    assert [f for f in report.findings if f.severity.value in ("error", "warning")] == []
    # '69,1-69,5' is a target range: not checked (KX106), never 'not a number' (KX102)
    ranges = [f for f in report.findings if f.code == "KX106"]
    assert where.cell(1, 7) in {f.cell for f in ranges}
    assert not [f for f in report.findings if f.code == "KX102"]


def test_wrong_total_pagu_is_flagged_at_its_cell(case, tmp_path):
    wrong = copy.deepcopy(case)
    # program 2: 1.450.900.000 + 1.761.000.000 + 1.956.960.000 + 1.923.600.000 = 7.092.460.000 (printed
    # right); typed here as 7.029.460.000, 63.000.000 short
    wrong["rows"][4][15] = "7,029,460,000"
    report, where = _validate(wrong, tmp_path)
    (f,) = [f for f in report.findings if f.severity.value == "error"]
    assert (f.code, f.cell) == ("KX706", where.cell(5, 16))
    assert f.expected == Decimal("7092460000")
    assert f.actual == Decimal("7029460000")
    assert f.difference == Decimal("-63000000")
    assert set(f.related) == {where.cell(5, c) for c in (8, 10, 12, 14)}
    assert "7.092.460.000" in f.message() and "4 tahun" in f.message()


def test_target_akhir_other_than_last_year_is_flagged(case, tmp_path):
    wrong = copy.deepcopy(case)
    wrong["rows"][5][14] = "93"  # program 3: last year's target 92,5
    report, where = _validate(wrong, tmp_path)
    (f,) = [f for f in report.findings if f.severity.value == "error"]
    assert (f.code, f.cell, f.expected, f.actual) == ("KX707", where.cell(6, 15), 92.5, 93.0)
    assert f.related == (where.cell(6, 13),)


def test_renstra_schema_checks_the_identities_on_a_frame():
    import pandas as pd
    from pandera.errors import SchemaErrors

    from kinerja_validators.schemas import schema

    frame = pd.DataFrame({
        "pagu_1": pd.array([100, 100], dtype="Int64"), "pagu_2": pd.array([200, 200], dtype="Int64"),
        "pagu_3": pd.array([300, 300], dtype="Int64"), "pagu_4": pd.array([400, None], dtype="Int64"),
        "pagu_akhir": pd.array([1000, 5], dtype="Int64"),  # row 8: a year blank, not judged
        **{f"target_{i}": pd.array([70.78 + i, 90.5 + i / 2], dtype="Float64") for i in (1, 2, 3)},
        "target_4": pd.array([74.78, 92.5], dtype="Float64"), "target_akhir": pd.array([74.78, 93.0], dtype="Float64"),
    }, index=pd.Index([7, 8], name="row"))
    with pytest.raises(SchemaErrors) as err:
        schema("renstra").validate(frame, lazy=True)
    failed = {(e.check.error, int(i)) for e in err.value.schema_errors if e.check_output is not None
              for i in e.check_output.index[~e.check_output.to_numpy(dtype=bool)]}
    assert failed == {("KX707", 8)}
    frame.loc[7, "pagu_akhir"] = 999
    with pytest.raises(SchemaErrors) as err:
        schema("renstra").validate(frame, lazy=True)
    assert {e.check.error for e in err.value.schema_errors} == {"KX706", "KX707"}


def test_identity_coverage_counts_the_rows_each_identity_judged(case, tmp_path):
    report, where = _validate(case, tmp_path)
    (cov,) = report.coverage
    judged = {i.rule: (i.judged, i.failed) for i in cov.identities}
    # the three programs have every pagu and numeric targets; the three IKU rows print ranges and no pagu
    assert judged == {"KX706": (3, 0), "KX707": (3, 0)}
    by_field = {c.field: c for c in cov.columns}
    assert by_field["pagu_akhir"].checked == 3 and by_field["pagu_2"].rules == ("KX706",)
    assert by_field["target_akhir"].rules == ("KX707",)
    assert by_field["target_1"].checked == 0  # a yearly target no rule reads is not claimed


def test_three_pairs_are_needed_and_each_pagu_stands_beside_its_target():
    from kinerja_validators.renstra import _pairs

    pairs = {"target_1": 6, "pagu_1": 7, "target_2": 8, "pagu_2": 9, "target_3": 10, "pagu_3": 11}
    assert _pairs(pairs)["pagu_akhir"] == 11 and "target_3" not in _pairs(pairs)
    assert "target_akhir" not in _pairs({k: v for k, v in pairs.items() if not k.endswith("_3")})
    assert "target_akhir" not in _pairs({**pairs, "pagu_2": 12})
