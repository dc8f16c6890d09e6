"""``kinerja-xl audit``: check a whole folder of reports and write one consolidated report.

Imported when the CLI starts, so it imports nothing heavy.
"""

# no `from __future__ import annotations`: typer evaluates the signature's Annotated options
import sys
from pathlib import Path
from typing import List, Optional

import typer

from kinerja_xl.cli import options
from kinerja_xl.cli.options import DEFAULT_MAX_SECONDS


def audit(
    paths: List[str] = typer.Argument(..., metavar="FOLDER|POLA|BERKAS", show_default=False,
                                      help="Folder (diperiksa rekursif), pola glob ('laporan/**/*.xlsx') atau berkas .xlsx/.xlsm/.xls/.ods. Berkas lain di folder (.docx, .pdf, .csv, berkas kunci ~$…) dicantumkan sebagai \"tidak diperiksa\" beserta alasannya."),
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
    from kinerja_xl.audit.identify import MapError, load_map
    from kinerja_xl.audit.pool import PoolSettings
    from kinerja_xl.audit.run import NothingToCheck, ReportWriteError, audit_folder, exit_code, summary_text
    from kinerja_xl.cli.common import check_max_seconds, fail, limits, settings
    from kinerja_xl.gcpause import start_up_done

    start_up_done()  # a long run: the collector on as in any Python
    first = Path(paths[0])
    cfg = settings(config, first if first.exists() else None, lang, fail_on, select, ignore)
    if jobs < 0:
        raise fail("--jobs tidak boleh negatif.")
    check_max_seconds(max_seconds)
    mapping = None
    if map_file is not None:
        try:
            mapping = load_map(map_file)
        except MapError as exc:
            raise fail(str(exc))
    pool = PoolSettings(jobs=jobs, max_seconds=max_seconds, max_memory_mb=max_memory_mb)
    try:
        doc = audit_folder(paths, output, cfg, limits(max_rows), pool, mapping, baseline, update_baseline, plain=plain)
    except (NothingToCheck, BaselineError, ReportWriteError) as exc:
        raise fail(str(exc))
    sys.stdout.write(summary_text(doc, output, cfg.lang))
    raise typer.Exit(exit_code(doc, cfg.fail_on))
