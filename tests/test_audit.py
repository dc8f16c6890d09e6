"""kinerja-xl audit: discovery, identity, cross-report rules, baseline, escaping, reports, CLI."""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kinerja_xl.audit import baseline as bl
from kinerja_xl.audit.core import apply_map, consolidate, discover
from kinerja_xl.audit.discovery import scan
from kinerja_xl.audit.excel import write_excel
from kinerja_xl.audit.extract import audit_file
from kinerja_xl.audit.html import render_html
from kinerja_xl.audit.identify import from_titles, load_map
from kinerja_xl.audit.progress import AuditProgress
from kinerja_xl.testing.samples import ReportSpec, Sub, quarter_spec, unit_plan, write_report
from kinerja_xl.config import Config

CFG = Config()


def codes(doc) -> list[str]:
    return [x["code"] for f in doc["files"] for x in f["findings"]]


def findings_of(doc, code: str) -> list[dict]:
    return [x for f in doc["files"] for x in f["findings"] if x["code"] == code]


# --------------------------------------------------------------------------- discovery and identity


def test_discover_folders_globs_files_and_lists_what_it_does_not_check(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for p in ("a/x.xlsx", "a/b/y.XLSM", "a/lama.xls", "a/calc.ods", "a/b/~$y.xlsm", "a/notes.txt", "a/surat.docx",
              "a/scan.PDF", "a/Thumbs.db", "c.xlsx", "out/audit.xlsx", "out/.audit.html.tmp", "out/kiriman.xlsx"):
        (tmp_path / p).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / p).write_bytes(b"")
    found = scan([str(tmp_path / "a"), str(tmp_path / "*.xlsx"), str(tmp_path / "missing.xlsx"), str(tmp_path)],
                 exclude=tmp_path / "out")
    names = [Path(p).relative_to(tmp_path).as_posix() for p in found.files]
    # each once, .xls and .ods checked too, an explicitly named missing file kept (it becomes a finding)
    # a workbook someone saved in the output folder is checked; only our own reports are not
    assert names == ["a/calc.ods", "a/lama.xls", "a/x.xlsx", "a/b/y.XLSM", "c.xlsx", "missing.xlsx", "out/kiriman.xlsx"]
    assert discover([str(tmp_path / "a")]) == [str(tmp_path / "a" / n) for n in ("calc.ods", "lama.xls", "x.xlsx")] + \
        [str(tmp_path / "a" / "b" / "y.XLSM")]
    skipped = {Path(s["path"]).relative_to(tmp_path).as_posix(): s["reason_code"] for s in found.skipped}
    assert skipped == {"a/Thumbs.db": "system", "a/notes.txt": "csv", "a/scan.PDF": "pdf", "a/surat.docx": "word",
                       "a/b/~$y.xlsm": "lock-file", "out/audit.xlsx": "own-output", "out/.audit.html.tmp": "own-output"}
    reasons = {s["name"]: s["reason"] for s in found.described("id")}
    assert reasons["surat.docx"].startswith("dokumen, bukan buku kerja") and "kunci sementara Excel" in reasons["~$y.xlsm"]
    assert found.described("en")[0]["reason"] == "a system or hidden file"


def test_identity_from_info_sheet_titles_and_map(tmp_path):
    info = write_report(tmp_path / "a.xlsx", quarter_spec("Kecamatan Senduro", 2, kode_unit="7.01.0.00.0.00.05.0000"))
    titles = write_report(tmp_path / "b.xlsx", quarter_spec("Kecamatan Senduro", 3, info_sheet=False))
    bare = write_report(tmp_path / "c.xlsx", quarter_spec("Kecamatan Senduro", 4, titles=False))
    r_info, r_titles, r_bare = (audit_file(str(p), CFG) for p in (info, titles, bare))
    assert r_info["identity"] == {"unit": "KECAMATAN SENDURO", "kode": "7.01.0.00.0.00.05.0000", "kabupaten": "LUMAJANG",
                                  "triwulan": 2, "tahun": 2021, "source": "info"}
    assert (r_titles["identity"]["unit"], r_titles["identity"]["triwulan"], r_titles["identity"]["tahun"],
            r_titles["identity"]["source"]) == ("KECAMATAN SENDURO", 3, 2021, "title")
    assert r_bare["identity"]["unit"] is None
    (tmp_path / "map.csv").write_text("file,unit,kode,triwulan,tahun\nc.xlsx,Kecamatan Senduro,,IV,2021\n"
                                      "a.xlsx,Kecamatan Lain,,1,2020\n", encoding="utf-8")
    mapping = load_map(tmp_path / "map.csv")
    apply_map(r_bare, mapping)
    apply_map(r_info, mapping)
    assert (r_bare["identity"]["unit"], r_bare["identity"]["triwulan"], r_bare["identity"]["source"]) == ("KECAMATAN SENDURO", 4, "map")
    assert r_info["identity"]["unit"] == "KECAMATAN SENDURO"  # the workbook's own Info sheet comes first


def test_titles_vote_over_a_copied_caption():
    """The seed's TW III report says 'triwulan II' once in a caption; the titles say III."""
    ident = from_titles(["LAPORAN KINERJA TRIWULAN III", "KECAMATAN LUMAJANG TAHUN 2021",
                         "Capaian indikator Kecamatan Lumajang triwulan II Tahun 2021 adalah sebagai berikut :",
                         "Tabel realisasi Triwulan III Tahun 2021", "UNTUK PERIODE SURVEI TRIBULAN TIGA TAHUN 2021"])
    assert (ident.unit, ident.triwulan, ident.tahun) == ("KECAMATAN LUMAJANG", 3, 2021)


def test_title_votes_tie_to_the_first_seen_each_time():
    """Each line's votes are remembered across workbooks; a tie still goes to the value this workbook names first."""
    a, b = "Laporan Triwulan II Kecamatan Pasirian", "Laporan Triwulan III Kecamatan Tempeh"
    for _ in range(2):
        assert (from_titles([a, b]).triwulan, from_titles([a, b]).unit) == (2, "KECAMATAN PASIRIAN")
        assert (from_titles([b, a]).triwulan, from_titles([b, a]).unit) == (3, "KECAMATAN TEMPEH")
        assert from_titles([a, b, b]).triwulan == 3


def test_example_workbook_summary():
    example = Path(__file__).resolve().parents[1] / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"
    if not example.exists():
        pytest.skip("example workbook not built")
    r = audit_file(str(example), CFG)
    assert (r["identity"]["unit"], r["identity"]["triwulan"], r["identity"]["tahun"]) == ("KECAMATAN LUMAJANG", 3, 2021)
    # seed: TOTAL realisasi 4.156.201.042 / plafon 6.255.403.861 = 66,44 %
    assert r["plafon"] == 625540386100 and r["realisasi"] == 415620104200
    assert r["serapan"] == 66.44
    assert (r["ikm"], r["mutu"]) == (87.28, "B")  # the IKM the seed prints (its recap recomputes differently: KX6xx)
    json.dumps(r)  # plain data only


# --------------------------------------------------------------------------- cross-report rules


@pytest.fixture(scope="module")
def quarters(tmp_path_factory):
    """Kecamatan Tempeh TW I–III with one change of each kind, a second unit, a duplicate and an unknown report."""
    d = tmp_path_factory.mktemp("quarters")
    plan = unit_plan("Kecamatan Tempeh")
    def spec(q, subs, ikm):
        return ReportSpec(unit="Kecamatan Tempeh", triwulan=q, subs=subs, ikm=ikm)
    tw1 = [Sub(s.kode, s.uraian, s.plafon, s.plafon // 4 // 1000 * 1000) for s in plan]
    tw2 = [Sub(s.kode, s.uraian, s.plafon, s.plafon // 2 // 1000 * 1000) for s in plan]
    tw2[0].realisasi = tw1[0].realisasi - 1_000_000  # cumulative realisasi falls
    tw3 = [Sub(s.kode, s.uraian, s.plafon, s.plafon * 3 // 4 // 1000 * 1000) for s in plan]
    tw3[1].plafon += 25_000_000  # plafon changes
    dropped = tw3.pop(2)  # disappears
    tw3.append(Sub("7.02.02.2.01.01", "Sub kegiatan baru hasil perubahan", 10_000_000, 1_000_000))  # appears
    files = {
        "tw1": write_report(d / "tempeh_tw1.xlsx", spec(1, tw1, 84.50)),
        "tw2": write_report(d / "tempeh_tw2.xlsx", spec(2, tw2, 86.25)),
        "tw3": write_report(d / "tempeh_tw3.xlsx", spec(3, tw3, 82.10)),
        "dup": write_report(d / "tempeh_tw3_revisi.xlsx", spec(3, tw3, 82.10)),
    }
    other = quarter_spec("Dinas Sosial", 3)
    other.subs[0] = Sub(other.subs[0].kode, other.subs[0].uraian + " (Dinas)", other.subs[0].plafon, other.subs[0].realisasi)
    files["other"] = write_report(d / "dinsos_tw3.xlsx", other)
    files["anon"] = write_report(d / "anon.xlsx", quarter_spec("Kecamatan Tempeh", 4, titles=False))
    results = [audit_file(str(p), CFG) for p in files.values()]
    return files, results, plan, tw1, tw2, tw3, dropped, other


def test_cross_rules_name_both_files_and_both_values(quarters):
    files, results, plan, tw1, tw2, tw3, dropped, other = quarters
    doc = consolidate(copy.deepcopy(results), CFG)
    dec = findings_of(doc, "KX851")
    assert len(dec) == 1
    f = dec[0]
    assert f["file"].endswith("tempeh_tw2.xlsx") and f["related"][0].startswith("tempeh_tw1.xlsx:'Realisasi'!E")
    assert f["expected"] == tw1[0].realisasi and f["actual"] == tw2[0].realisasi and f["difference"] == -1_000_000
    assert "tempeh_tw1.xlsx" in f["message"] and "tempeh_tw2.xlsx" in f["message"] and f["row_key"] == plan[0].kode
    plaf = findings_of(doc, "KX852")
    assert [(x["row_key"], x["expected"], x["actual"]) for x in plaf] == [(plan[1].kode, plan[1].plafon, plan[1].plafon + 25_000_000)]
    assert "tempeh_tw2.xlsx" in plaf[0]["message"] and "tempeh_tw3.xlsx" in plaf[0]["message"]
    assert [x["row_key"] for x in findings_of(doc, "KX853")] == [dropped.kode]
    assert [x["row_key"] for x in findings_of(doc, "KX854")] == ["7.02.02.2.01.01"]
    drift = findings_of(doc, "KX855")
    assert [(Path(x["file"]).name, x["row_key"]) for x in drift] == [("dinsos_tw3.xlsx", other.subs[0].kode)]
    assert "(Dinas)" in drift[0]["message"]
    trend = findings_of(doc, "KX856")
    assert len(trend) == 1 and "TW I 84,50 → TW II 86,25 → TW III 82,10 (turun 2,40)" in trend[0]["message"]
    dup = findings_of(doc, "KX857")
    assert len(dup) == 1 and dup[0]["file"].endswith("tempeh_tw3_revisi.xlsx")
    unknown = findings_of(doc, "KX858")
    assert len(unknown) == 1 and unknown[0]["file"].endswith("anon.xlsx")
    # nothing else across reports: the unchanged rows of TW I→II→III stay silent
    assert sorted(c for c in codes(doc) if c.startswith("KX85")) == sorted(
        ["KX851", "KX852", "KX853", "KX854", "KX855", "KX856", "KX857", "KX858"])


def test_cross_rules_respect_ignore(quarters):
    results = quarters[1]
    doc = consolidate(copy.deepcopy(results), Config().merged(ignore=("KX85",)))
    assert not [c for c in codes(doc) if c.startswith("KX85")]


def test_cross_rules_in_english(quarters):
    doc = consolidate(copy.deepcopy(quarters[1]), Config().merged(lang="en"))
    assert "Q1 84.50 → Q2 86.25 → Q3 82.10 (down 2.40)" in findings_of(doc, "KX856")[0]["message"]


def test_units_summary_per_unit_and_quarter(quarters):
    doc = consolidate(copy.deepcopy(quarters[1]), CFG)
    tempeh = [u for u in doc["units"] if u["unit"] == "KECAMATAN TEMPEH"]
    assert [(u["triwulan"], len(u["files"])) for u in tempeh] == [(1, 1), (2, 1), (3, 2)]
    assert [u["ikm"] for u in tempeh] == [84.5, 86.25, 82.1] and [u["mutu"] for u in tempeh] == ["B", "B", "B"]
    tw1 = quarters[3]
    expected = round(sum(s.realisasi for s in tw1) * 100 / sum(s.plafon for s in tw1), 2)
    assert tempeh[0]["serapan"] == pytest.approx(expected, abs=0.006)
    assert doc["summary"]["total"] == sum(u["error"] + u["warning"] + u["info"] for u in doc["units"])


# --------------------------------------------------------------------------- baseline


def test_baseline_reports_only_new_and_fixed_and_survives_inserted_rows(tmp_path):
    spec = quarter_spec("Kecamatan Pasirian", 2)
    spec.wrong_cells = [(0, "sisa", 5_000), (3, "sisa", 7_000)]
    path = write_report(tmp_path / "pasirian.xlsx", spec)
    base = tmp_path / "baseline.json"
    first = consolidate([audit_file(str(path), CFG)], CFG, base)
    assert first["summary"]["baseline"]["written"] and base.exists()
    assert first["summary"]["total"] > 0
    again = consolidate([audit_file(str(path), CFG)], CFG, base)
    assert again["summary"]["total"] == 0 and again["summary"]["baseline"]["known"] == first["summary"]["total"]
    assert again["summary"]["baseline"]["fixed"] == 0
    # next version: one error fixed, one new, and the realisasi table moved two rows down (titles added)
    spec2 = copy.deepcopy(spec)
    spec2.wrong_cells = [(3, "sisa", 7_000), (5, "sisa", 9_000)]
    path.unlink()
    write_report(path, spec2)
    _insert_rows_above(path, 2)
    later = consolidate([audit_file(str(path), CFG)], CFG, base)
    new_keys = {x["row_key"] for x in later["files"][0]["findings"]}
    assert spec.subs[5].kode in new_keys and spec.subs[3].kode not in new_keys
    assert spec.subs[0].kode in {e["row_key"] for e in later["fixed"]}
    assert later["summary"]["baseline"]["fixed"] >= 1 and not later["summary"]["baseline"]["written"]
    # --update-baseline rewrites: afterwards nothing is new
    consolidate([audit_file(str(path), CFG)], CFG, base, update_baseline=True)
    assert consolidate([audit_file(str(path), CFG)], CFG, base)["summary"]["total"] == 0


def _insert_rows_above(path: Path, n: int) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["Realisasi"].insert_rows(1, n)
    wb.save(path)


def test_fingerprint_ignores_the_cell_but_not_the_unit_rule_sheet_or_row():
    f = {"code": "KX301", "sheet": "Realisasi", "row_key": "7.01.01.2.01.02", "cell": "F10", "name": "sisa"}
    g = dict(f, cell="F12")
    assert bl.fingerprint("A", f) == bl.fingerprint("A", g)
    assert len({bl.fingerprint("A", f), bl.fingerprint("B", f), bl.fingerprint("A", dict(f, code="KX302")),
                bl.fingerprint("A", dict(f, sheet="X")), bl.fingerprint("A", dict(f, row_key="1"))}) == 5


def test_broken_baseline_is_a_clear_error(tmp_path):
    (tmp_path / "b.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(bl.BaselineError, match="update-baseline"):
        bl.load(tmp_path / "b.json")


# --------------------------------------------------------------------------- escaping


HOSTILE_TEXTS = ['=HYPERLINK("http://example.invalid/x","klik")', "+62 811 000", "-1+1", "@SUM(A1:A2)",
                 "<script>alert(1)</script>", "=cmd|' /C calc'!A0"]


@pytest.fixture()
def hostile_texts_workbook(tmp_path):
    """A realisasi table whose labels and cells carry formula-like and markup text."""
    import xlsxwriter

    path = tmp_path / "injeksi.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("<b>Realisasi")
    ws.write_row(0, 0, ["LAPORAN KINERJA TRIWULAN I", None])
    ws.write_row(1, 0, ["KECAMATAN <i>UJI</i> TAHUN 2021"])
    ws.write_row(3, 0, ["NO", "NAMA PROGRAM/ KEGIATAN/ SUB KEGIATAN", "PLAFON ANGGARAN", "REALISASI KEUANGAN", "SISA ANGGARAN"])
    r = 4
    for i, text in enumerate(HOSTILE_TEXTS):
        ws.write_string(r, 0, "")
        ws.write_string(r, 1, text)
        ws.write_number(r, 2, 1000)
        ws.write_string(r, 3, text)  # not a number: an unreadable-number finding whose 'actual' is this text
        ws.write_number(r, 4, 1000)
        r += 1
    wb.close()
    return path


def test_excel_report_never_turns_workbook_text_into_formulas(hostile_texts_workbook, tmp_path):
    doc = consolidate([audit_file(str(hostile_texts_workbook), CFG)], CFG)
    carried = {str(x.get(k)) for f in doc["files"] for x in f["findings"] for k in ("actual", "row_key")}
    assert set(HOSTILE_TEXTS) <= carried, "the test needs every text to reach the report"
    out = write_excel(doc, tmp_path / "audit.xlsx")
    with zipfile.ZipFile(out) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sheets:
            assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    from openpyxl import load_workbook

    wb = load_workbook(out)
    values = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    values[c.value] = c.data_type
    for text in HOSTILE_TEXTS:
        assert values.get(text) == "s", text
    ws = wb["Temuan"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:P")
    link = next(c.hyperlink for row in ws.iter_rows(min_row=2) for c in row if c.hyperlink)
    assert link.target == "injeksi.xlsx"  # relative to the report, which sits beside the workbook here
    assert link.location.startswith("'<b>Realisasi'!")


def test_html_report_escapes_everything(hostile_texts_workbook):
    doc = consolidate([audit_file(str(hostile_texts_workbook), CFG)], CFG)
    page = render_html(doc)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Realisasi" not in page and "<i>UJI</i>" not in page
    assert page.count("<script") == 2  # ours: the JSON data block and the search box
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "").replace("http://example.invalid", "")


# --------------------------------------------------------------------------- progress and CLI


def test_progress_degrades_to_plain_lines():
    buf = io.StringIO()
    with AuditProgress(40, "id", stream=buf) as p:
        for i in range(40):
            p.advance({"findings": [{}] * (i % 2), "error": None})
    lines = buf.getvalue().splitlines()
    assert 20 <= len(lines) <= 22
    assert lines[-1].startswith("[40/40] 20 temuan · ") and "berkas/dtk" in lines[-1] and "sisa" in lines[-1]


@pytest.mark.slow
def test_cli_audit_end_to_end(tmp_path):
    src = tmp_path / "laporan"
    for unit in ("Kecamatan Gucialit", "Kecamatan Padang"):
        for q in (1, 2):
            spec = quarter_spec(unit, q)
            if unit == "Kecamatan Padang" and q == 2:
                spec.subs[0].realisasi = 0  # cumulative realisasi falls to zero
            folder = src / unit.split()[-1]
            folder.mkdir(parents=True, exist_ok=True)
            write_report(folder / f"{unit.split()[-1]}_TW{q}.xlsx", spec)
    (src / "rusak.xlsx").write_bytes(b"bukan excel")
    out = tmp_path / "hasil"
    env = dict(os.environ, COLUMNS="120")
    proc = subprocess.run([sys.executable, "-m", "kinerja_xl.cli", "audit", str(src), "-o", str(out), "--jobs", "2",
                           "--baseline", str(tmp_path / "base.json")], capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 1, proc.stderr
    assert "[5/5]" in proc.stderr  # plain progress lines when not on a terminal
    assert "5 berkas (1 tak terbaca), 2 unit" in proc.stdout and "(ditulis)" in proc.stdout
    doc = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert doc["summary"]["files"] == 5 and doc["summary"]["unreadable"] == 1
    assert [x["code"] for x in findings_of(doc, "KX851")] == ["KX851"]
    assert findings_of(doc, "KX002")[0]["file"].endswith("rusak.xlsx")
    for f in doc["files"]:
        for x in f["findings"]:
            assert {"code", "name", "severity", "file", "sheet", "cell", "row_key", "expected", "actual", "difference",
                    "message", "related"} <= set(x)
    from openpyxl import load_workbook

    wb = load_workbook(out / "audit.xlsx")
    assert wb.sheetnames == ["Ringkasan", "Grafik", "Temuan", "Berkas", "Tabel", "Diperbaiki"]
    assert wb["Ringkasan"].max_row == 1 + 4 + 1  # 2 units × 2 quarters + the unreadable file
    assert (out / "audit.html").read_text(encoding="utf-8").count('class="finding') == doc["summary"]["total"]
    # second run against the baseline: nothing new, exit 0
    proc = subprocess.run([sys.executable, "-m", "kinerja_xl.cli", "audit", str(src), "-o", str(out), "--jobs", "1",
                           "--baseline", str(tmp_path / "base.json")], capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 baru" in proc.stdout


@pytest.mark.slow
def test_cli_audit_without_files_is_a_usage_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kinerja_xl.cli", "audit", str(tmp_path), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "tidak ada berkas" in proc.stderr


def test_rules_list_the_cross_report_codes():
    from kinerja_xl.rules import get_rule

    import kinerja_xl.cli.audit  # noqa: F401  (the CLI registers them)

    for code in ("KX851", "KX852", "KX853", "KX854", "KX855", "KX856", "KX857", "KX858", "KX008", "KX020", "KX021", "KX022"):
        assert get_rule(code) is not None, code


def test_progress_on_a_terminal_is_a_rich_bar():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    buf = Tty()
    with AuditProgress(3, "en", stream=buf) as p:
        for _ in range(3):
            p.advance({"findings": [{}], "error": None})
    out = buf.getvalue()
    assert "\x1b[" in out and "3/3" in out and "3 findings" in out and "files/s" in out


@pytest.mark.slow
def test_a_worker_killed_between_files_is_replaced(tmp_path):
    import signal

    from kinerja_xl.audit.pool import PoolSettings, run_pool

    files = [write_report(tmp_path / f"k{i}.xlsx", quarter_spec("Kecamatan Ranuyoso", i)) for i in (1, 2, 3)]
    seen = {}

    def done(index, result):
        seen[index] = result
        if index == 0:  # kill every worker process of ours while it waits for the next file
            import multiprocessing

            for child in multiprocessing.active_children():
                if child.name.startswith(("Process", "ForkServerProcess")) and child.is_alive():
                    os.kill(child.pid, signal.SIGKILL)

    run_pool([str(f) for f in files], CFG, None, PoolSettings(jobs=1, max_seconds=60), done)
    assert sorted(seen) == [0, 1, 2]
    assert all(r["error"] is None for r in seen.values())  # the file in flight is retried on a fresh worker


def test_map_from_excel_csv_with_semicolons_and_ansi(tmp_path):
    (tmp_path / "peta.csv").write_bytes("file;unit;kode;triwulan;tahun\r\nlaporan/kec_a.xlsx;Kecamatan Pasirian;;TW III;2022\r\n"
                                        "b.xlsx;Dinas Pendapatan Daerah – Bidang Pajak;;2;2022\r\n".encode("cp1252"))
    mapping = load_map(tmp_path / "peta.csv")
    a = {"path": "/arsip/laporan/kec_a.xlsx", "identity": {}}
    apply_map(a, mapping)
    assert (a["identity"]["unit"], a["identity"]["triwulan"], a["identity"]["tahun"]) == ("KECAMATAN PASIRIAN", 3, 2022)
    assert mapping["b.xlsx"].unit == "DINAS PENDAPATAN DAERAH BIDANG PAJAK" and mapping["b.xlsx"].triwulan == 2


def test_excel_caps_rows_and_hyperlinks_at_excels_limits(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from kinerja_xl.audit import excel

    monkeypatch.setattr(excel, "MAX_ROWS", 8)  # stand-ins for 1.048.576 rows and 65.530 links
    monkeypatch.setattr(excel, "MAX_LINKS", 3)
    finding = {"code": "KX301", "name": "sisa", "severity": "error", "sheet": "R", "cell": "F9", "row_key": "1",
               "message": "m", "expected": 1, "actual": 2, "difference": 1, "related": []}
    files = [{"path": str(tmp_path / f"f{i}.xlsx"), "name": f"f{i}.xlsx", "unit": "U", "tahun": 2021, "triwulan": 1,
              "kode": None, "identity_source": "info", "error": None, "summary": {"error": 4, "warning": 0, "info": 0},
              "plafon": None, "realisasi": None, "serapan": None, "ikm": None, "mutu": None, "seconds": 0.1,
              "findings": [dict(finding) for _ in range(4)]} for i in range(3)]
    doc = {"lang": "id", "summary": {"baseline": None}, "units": [], "files": files, "fixed": []}
    ws = load_workbook(excel.write_excel(doc, tmp_path / "a.xlsx"))["Temuan"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 7 and rows[-1][0] == "… 6 temuan lagi: lihat audit.json"
    assert sum(1 for row in ws.iter_rows(min_row=2) for c in row if c.hyperlink) == 3


# --------------------------------------------------------------------------- what a worker measures, and its collector


def test_audit_file_checks_as_validate_does_and_splits_its_time(example_path, example_report, tmp_path, monkeypatch):
    import gc

    from kinerja_xl import gcpause
    from kinerja_xl.report.jsonfmt import finding_dict

    r = audit_file(str(example_path), CFG)
    assert r["findings"] == [finding_dict(f, CFG.lang) for f in example_report.findings]
    t = r["timing"]
    assert set(t) == {"read", "rules", "extract", "cpu"} and all(v > 0 for v in t.values())
    assert abs(t["read"] + t["rules"] + t["extract"] - r["seconds"]) < 0.01
    assert t["cpu"] < r["seconds"] + 0.05  # the worker's own CPU seconds, for the bench's split of its time
    # an unreadable file: all its time is reading, and the result says why
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    r = audit_file(str(bad), CFG)
    assert r["error"] and r["timing"]["read"] > 0
    # a worker's frozen warm-up (frozen on purpose, as audit/warm.py says) stays frozen
    # and the collector ends as it began
    gc.freeze()
    monkeypatch.setattr(gcpause, "_frozen_on_purpose", False)
    gcpause.keep_frozen()
    try:
        frozen = gc.get_freeze_count()
        audit_file(str(example_path), CFG)
        # (a few frozen objects may die meanwhile; unfreezing would leave none)
        assert gc.get_freeze_count() > frozen * 0.9 and gc.isenabled()
        gc.disable()
        audit_file(str(example_path), CFG)
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


class _FakeWorker:
    """A worker as the pool's bookkeeping sees it, without a process."""

    def __init__(self):
        from collections import deque

        self.tasks, self.done, self.sent, self.killed = deque(), 0, [], False

    task = property(lambda self: self.tasks[0] if self.tasks else None)

    def give(self, task):
        self.sent.append(task)
        self.tasks.append(task)

    def answered(self):
        self.tasks.popleft()
        return list(self.tasks)

    def kill(self):
        self.killed = True

    def retire(self):
        self.killed = True


def test_each_worker_holds_the_next_file_and_gives_back_what_it_did_not_begin():
    from kinerja_xl.audit import pool

    p = pool._Pool([f"f{i}.xlsx" for i in range(7)], CFG, None, pool.PoolSettings(jobs=2, max_tasks_per_child=3),
                   lambda index, result: None)
    a, b = _FakeWorker(), _FakeWorker()
    p.workers = [a, b]
    p._hand_out()
    assert [i for i, _ in a.sent] == [0, 1] and [i for i, _ in b.sent] == [2, 3]  # one checked, one ahead
    p._deliver(a, 0, {}, replace=False)
    p._hand_out()
    assert [i for i, _ in a.tasks] == [1, 4]
    p._deliver(a, 1, {}, replace=False)
    p._hand_out()
    assert [i for i, _ in a.tasks] == [4]  # its third and last file before it is recycled: nothing past it
    # a worker let go (time limit, death) gives back the file it had not begun, first in the queue
    p._deliver(b, 2, {}, replace=True)
    assert b.killed and b not in p.workers and [i for i, _ in p.pending] == [3, 5, 6]
    # one that died without answering: its file is tried once more, the one ahead goes back untouched
    c = _FakeWorker()
    p.workers.append(c)
    p._hand_out()
    assert [i for i, _ in c.tasks] == [3, 5]

    class Closed:
        def poll(self):
            raise EOFError  # the pipe of a dead process

    c.conn = Closed()
    assert p._answer(c, 3, "f3.xlsx") is pool._RETRIED
    assert [i for i, _ in p.pending] == [3, 5, 6] and p.retried == {3}


def test_a_worker_that_died_on_its_file_is_settled_as_a_death_not_as_a_broken_start():
    """Handing the next file to a worker that crashed on the one it holds fails: that file is still
    judged by the death rules (tried once more, then blamed), never silently queued again."""
    from kinerja_xl.audit import pool

    p = pool._Pool([f"f{i}.xlsx" for i in range(3)], CFG, None, pool.PoolSettings(jobs=1),
                   lambda index, result: None)
    w = _FakeWorker()
    p.workers = [w]
    w.give((0, "f0.xlsx"))
    p.pending.popleft()

    def gone(task):
        raise BrokenPipeError

    w.give = gone
    p._hand_out()
    assert [i for i, _ in w.tasks] == [0] and w in p.workers and p.broken == 0
    assert [i for i, _ in p.pending] == [1, 2]  # the file not handed out waits for the next worker
