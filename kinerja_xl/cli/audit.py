"""``kinerja-xl audit``: check a whole folder of reports and write one consolidated report.

Imported when the CLI starts, so it registers the cross-report codes
(``kinerja-xl rules``/``explain`` list them) and imports nothing heavy.
"""

# no `from __future__ import annotations`: typer evaluates the signature's Annotated options
import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from kinerja_xl.audit import cross  # noqa: F401  (registers KX851–KX858)
from kinerja_xl.cli import options
from kinerja_xl.cli.options import DEFAULT_MAX_SECONDS

OUTPUT_NAMES = {"xlsx": "audit.xlsx", "html": "audit.html", "json": "audit.json"}


def audit(
    paths: List[str] = typer.Argument(..., metavar="FOLDER|POLA|BERKAS", show_default=False,
                                      help="Folder (diperiksa rekursif), pola glob ('laporan/**/*.xlsx') atau berkas .xlsx/.xlsm."),
    output: Path = typer.Option(Path("hasil-audit"), "--output", "-o", metavar="FOLDER",
                                help="Folder laporan gabungan: audit.xlsx, audit.html, audit.json."),
    jobs: int = typer.Option(0, "--jobs", "-j", metavar="N", show_default=False,
                             help="Jumlah proses pemeriksa [bawaan: jumlah inti prosesor]."),
    max_seconds: options.MaxSeconds = DEFAULT_MAX_SECONDS,
    max_memory_mb: int = typer.Option(1024, "--max-memory-mb", metavar="MB",
                                      help="Batas memori per berkas (MB, di atas ~200 MB kode yang dimuat pemeriksa)."),
    max_rows: options.MaxRows = None,
    map_file: Optional[Path] = typer.Option(None, "--map", metavar="BERKAS", show_default=False,
                                            help="CSV file,unit,kode,triwulan,tahun untuk laporan yang tidak menyebut unit/triwulan/tahunnya."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="BERKAS", show_default=False,
                                            help="Berkas baseline (JSON): dibuat bila belum ada; bila ada, hanya temuan baru dan yang sudah diperbaiki yang dilaporkan."),
    update_baseline: bool = typer.Option(False, "--update-baseline", help="Tulis ulang baseline dengan temuan hari ini."),
    fail_on: options.FailOn = None,
    lang: options.LangOpt = None,
    select: options.Select = None,
    ignore: options.Ignore = None,
    config: options.ConfigFile = None,
    plain: bool = typer.Option(False, "--plain", help="Kemajuan sebagai baris teks, juga di terminal."),
) -> None:
    """Periksa banyak laporan sekaligus (folder, pola, berkas) dan tulis satu laporan gabungan.

    Setiap berkas diperiksa dengan aturan yang sama seperti `validate`, di proses terpisah dengan
    batas waktu dan memori; berkas rusak atau berbahaya menjadi temuan, pemeriksaan jalan terus.
    Ditambah aturan lintas laporan (KX851–KX858): realisasi kumulatif antartriwulan, perubahan
    plafon, sub kegiatan hilang/baru, nomenklatur kode antarunit, tren IKM.

    Contoh: kinerja-xl audit laporan/ -o hasil --baseline baseline.json

    Kode keluar: 0 tidak ada temuan (baru) setingkat --fail-on; 1 ada (berkas tak terbaca dan berkas yang
    melebihi --max-seconds termasuk); 2 tidak ada berkas, opsi salah, atau laporan tidak dapat ditulis.
    """
    from kinerja_xl.audit.baseline import BaselineError
    from kinerja_xl.audit.core import check_files, consolidate, discover
    from kinerja_xl.audit.excel import write_excel
    from kinerja_xl.audit.html import write_html
    from kinerja_xl.audit.identify import MapError, load_map
    from kinerja_xl.audit.pool import PoolSettings
    from kinerja_xl.audit.progress import AuditProgress
    from kinerja_xl.cli.common import check_max_seconds, describe_os_error, fail, limits, settings

    first = Path(paths[0])
    cfg = settings(config, first if first.exists() else None, lang, fail_on, select, ignore)
    if jobs < 0:
        raise fail("--jobs tidak boleh negatif.")
    check_max_seconds(max_seconds)
    bounds = limits(max_rows)
    mapping = None
    if map_file is not None:
        try:
            mapping = load_map(map_file)
        except MapError as exc:
            raise fail(str(exc))
    files = discover(paths, exclude=output)
    if not files:
        raise fail("tidak ada berkas .xlsx/.xlsm di " + ", ".join(paths) + ".")
    pool = PoolSettings(jobs=jobs, max_seconds=max_seconds, max_memory_mb=max_memory_mb)
    with AuditProgress(len(files), cfg.lang, force_plain=plain) as progress:
        results = check_files(files, cfg, bounds, pool, mapping, progress.advance)
    try:
        doc = consolidate(results, cfg, baseline, update_baseline)
    except BaselineError as exc:
        raise fail(str(exc))
    try:
        output.mkdir(parents=True, exist_ok=True)
        out_json = output / OUTPUT_NAMES["json"]
        tmp = out_json.with_name(f".{out_json.name}.tmp")
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(out_json)
        write_excel(doc, output / OUTPUT_NAMES["xlsx"])
        write_html(doc, output / OUTPUT_NAMES["html"])
    except OSError as exc:
        raise fail(f"laporan tidak dapat ditulis ke {output} ({describe_os_error(exc, cfg.lang)}).")
    _print_summary(doc, output, cfg.lang)
    from kinerja_xl.findings import Severity

    threshold = Severity(cfg.fail_on).rank
    bad = any(Severity(x["severity"]).rank >= threshold for f in doc["files"] for x in f["findings"])
    raise typer.Exit(1 if bad else 0)


def _print_summary(doc: dict, output: Path, lang: str) -> None:  # noqa: D401
    s = doc["summary"]
    f = s["findings"]
    if lang == "en":
        lines = [f"{s['files']} files ({s['unreadable']} unreadable), {s['units']} units: "
                 f"{f['error']} errors, {f['warning']} warnings, {f['info']} info."]
        if s.get("baseline"):
            b = s["baseline"]
            lines.append(f"Baseline {b['path']}: {b['new']} new, {b['known']} known, {b['fixed']} fixed"
                         + (" (written)." if b["written"] else "."))
        lines.append(f"Report: {output / OUTPUT_NAMES['html']}, {output / OUTPUT_NAMES['xlsx']}, {output / OUTPUT_NAMES['json']}")
    else:
        lines = [f"{s['files']} berkas ({s['unreadable']} tak terbaca), {s['units']} unit: "
                 f"{f['error']} galat, {f['warning']} peringatan, {f['info']} info."]
        if s.get("baseline"):
            b = s["baseline"]
            lines.append(f"Baseline {b['path']}: {b['new']} baru, {b['known']} sudah dikenal, {b['fixed']} diperbaiki"
                         + (" (ditulis)." if b["written"] else "."))
        lines.append(f"Laporan: {output / OUTPUT_NAMES['html']}, {output / OUTPUT_NAMES['xlsx']}, {output / OUTPUT_NAMES['json']}")
    sys.stdout.write("\n".join(lines) + "\n")
