"""Every table kind's arithmetic is a pandera schema: its failure cases name Excel rows, and the rules
report them at the cells of those rows. The schemas are reusable (``kinerja_validators.schemas``)."""

from __future__ import annotations

import pandas as pd
import pytest
from pandera.errors import SchemaErrors

from budget_books import MemoryBook, realisasi, seed_sheets, tables_of, validate_rows
from kinerja_xl.config import Config
from kinerja_xl.runner import validate_source
from kinerja_validators import schemas


def failure_rows(schema, frame) -> dict[str, list[int]]:
    """{check error: Excel rows} from pandera's own failure cases."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        fc = exc.failure_cases
        return {name: sorted({int(i) for i in group["index"].dropna()}) for name, group in fc.groupby("check")}
    return {}


def cells(findings, code):
    return [f.cell for f in findings if f.code == code]


def test_realisasi_seed_sisa_dash_fails_in_pandera_and_is_blamed_at_the_sisa_cells():
    rows, merges = seed_sheets()["Realisasi TW III"]
    (table,) = [t for t in tables_of(rows, merges) if t.kind == "realisasi"]
    failed = failure_rows(schemas.realisasi, table.frame[["no", "uraian", "plafon", "realisasi", "sisa"]])
    assert failed["KX301"] == [23, 24, 25]  # kegiatan V and its two sub kegiatan print sisa '-'
    found = validate_rows(rows, merges=merges)
    assert cells(found, "KX301") == ["E23", "E24", "E25"]
    assert not [f for f in found if f.code.startswith("KX4")]  # program A above them is not flagged


def test_realisasi_schema_works_out_the_tree_itself_on_a_users_frame():
    frame = pd.DataFrame({
        "no": ["A", "I", "1", "2"],
        "uraian": ["PROGRAM SATU", "Kegiatan satu", "Sub satu", "Sub dua"],
        "plafon": pd.array([1000, 1000, 300, 600], dtype="Int64"),
        "realisasi": pd.array([500, 500, 200, 300], dtype="Int64"),
        "sisa": pd.array([500, 500, 100, 300], dtype="Int64"),
    }, index=pd.Index([7, 8, 9, 10], name="row"))
    failed = failure_rows(schemas.realisasi, frame)
    # kegiatan I's plafon ≠ 300 + 600 (and so its sisa ≠ 100 + 300): the row fails the sums check;
    # the rule blames the cause only (a sisa that follows from the plafon is not reported twice)
    assert failed == {"KX401/KX402": [8]}
    data = [["A", "PROGRAM SATU", "1000", "500", "500"], ["I", "Kegiatan satu", "1000", "500", "500"],
            ["1", "Sub satu", "300", "200", "100"], ["2", "Sub dua", "600", "300", "300"]]
    assert [(f.code, f.cell) for f in validate_rows(realisasi(data))] == [("KX401", "C3")]


def test_realisasi_quarters_and_serapan_fail_in_pandera_and_land_on_their_cells():
    head = ["NO", "URAIAN", "PLAFON", "REALISASI TW I", "REALISASI TW II", "REALISASI JUMLAH", "SISA", "% SERAPAN"]
    data = [["1", "Sub satu", "1.000", "100", "200", "400", "700", "30,00"],
            ["2", "Sub dua", "1.000", "100", "200", "300", "700", "35,00"]]
    (table,) = tables_of(realisasi(data, head))
    failed = failure_rows(schemas.realisasi, table.frame)
    assert failed["KX303"] == [2] and failed["KX302"] == [3]
    found = validate_rows(realisasi(data, head))
    assert (cells(found, "KX303"), cells(found, "KX302")) == (["F2"], ["H3"])


def test_refocusing_pengurangan_fails_in_pandera_at_its_row():
    head = ["NO", "KODE SUB KEGIATAN", "URAIAN SUB KEGIATAN", "PAGU AWAL", "PAGU REFOKUSING", "BESARAN PENGURANGAN PAGU"]
    data = [head, ["1", "7.01.01.2.01.02", "Koordinasi", "2.620.000", "2.620.000", "-"],
            ["2", "7.01.01.2.01.06", "Laporan", "1.408.000", "772.000", "646.000"]]
    (table,) = tables_of(data)
    assert failure_rows(schemas.refocusing, table.frame)["KX501"] == [3]
    assert cells(validate_rows(data), "KX501") == ["F3"]


def test_pk_jumlah_fails_in_pandera_at_the_jumlah_row():
    rows = [["NO", "PROGRAM", "ANGGARAN"], [1, "Program satu", "Rp. 100.000,-"], [2, "Program dua", "Rp. 50.000,-"],
            [None, "JUMLAH", "Rp. 160.000,-"]]
    report = validate_source(MemoryBook({"PK": rows}), Config())
    (table,) = report.tables
    frame = table.frame[["anggaran"]].assign(total=[False, False, True])
    assert failure_rows(schemas.pk_program, frame) == {"KX551": [4]}
    assert cells(report.findings, "KX551") == ["C4"]


def test_iku_capaian_with_polarity_fails_in_pandera_at_its_row():
    head = ["No", "Indikator Kinerja Utama (IKU)", "Target Tahun 2021", "Realisasi", "Capaian (%)", "Polaritas"]
    rows = [head, [1, "Angka kemiskinan", "10", "8", "120,00", "negatif"],   # (2 − 8/10) × 100 = 120
            [2, "Persentase desa", "90", "100", "117,65", None]]             # 100/90 × 100 = 111,11
    report = validate_source(MemoryBook({"IKU": rows}), Config())
    (table,) = report.tables
    frame = table.frame[["target", "realisasi", "capaian", "capaian__dp"]].assign(negative=[True, False])
    assert failure_rows(schemas.iku, frame) == {"KX701": [3]}
    assert cells(report.findings, "KX701") == ["E3"]


def test_perbandingan_capaian_per_year_fails_in_pandera_at_its_row():
    from kinerja_validators.perbandingan import pandera_schema

    head = [["No", "Indikator Kinerja", "Tahun 2021", None, None], [None, None, "Target", "Realisasi", "Capaian"]]
    rows = head + [[1, "Persentase desa", "85%", "100%", "111,11%"]]
    report = validate_source(MemoryBook({"P": (rows, [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 4)])}), Config())
    (table,) = report.tables
    assert failure_rows(pandera_schema(("2021",)), table.frame) == {"KX704": [3]}
    assert cells(report.findings, "KX704") == ["E3"]


@pytest.mark.parametrize("kind", ["realisasi", "refocusing", "pk_program", "iku", "perbandingan", "renstra", "skm",
                                  "skm_responden", "skm_vs_responden", "iku_vs_skm",
                                  "skm_responden_ringkasan"])
def test_a_schema_writes_yaml_that_names_its_checks(kind):
    text = schemas.yaml(kind)
    assert "schema_type: dataframe" in text
    assert "check_name: kx_" in text


def test_unknown_kind_is_a_clear_error():
    with pytest.raises(KeyError, match="no schema"):
        schemas.schema("nope")
    with pytest.raises(AttributeError):
        schemas.nope  # noqa: B018


def test_under_failing_rows_our_checks_answer_by_position_and_users_keep_failure_cases():
    """The rules read Excel rows from the checks' verdicts and skip pandera's failure-case table;
    the same schema validated by a user still reports failure cases at Excel rows."""
    from kinerja_validators._pandera import failing_rows, register

    register("kx_test_small", ["limit"], lambda frame, *, limit: frame["b"] < limit)
    import pandera.pandas as pa

    schema = pa.DataFrameSchema(checks=[pa.Check.kx_test_small(limit=5, error="small", ignore_na=False)])
    frame = pd.DataFrame({"b": pd.array([1, 7, None, 5], dtype="Int64")}, index=pd.Index([21, 22, 23, 24], name="row"))
    seen = []
    real = SchemaErrors.__init__

    def spy(self, schema, schema_errors, data):
        seen.extend(schema_errors)
        real(self, schema, schema_errors, data)

    SchemaErrors.__init__ = spy
    try:
        assert failing_rows(schema, frame) == {"small": [22, 24]}  # <NA> passes
    finally:
        SchemaErrors.__init__ = real
    (error,) = seen  # pandera judged it: one failing check, by position, without failure cases gathered
    assert error.check_output.tolist() == [True, False, True, False] and not hasattr(error.failure_cases, "index")

    with pytest.raises(SchemaErrors) as exc:  # outside failing_rows: pandera's own failure cases, at Excel rows
        schema.validate(frame, lazy=True)
    assert sorted(exc.value.failure_cases["index"].tolist()) == [22, 24]
