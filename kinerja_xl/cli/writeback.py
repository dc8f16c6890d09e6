"""``kinerja-xl periksa`` (alias ``annotate``) and ``kinerja-xl clear``.

``periksa`` = *check* in Indonesian: it validates like ``validate`` and also
writes an annotated copy ``NAME.periksa.xlsx`` beside the input (marked
cells, notes, the ``Temuan`` sheet first, computed values in empty
designated cells). ``clear`` takes the annotation out again.
"""

# no `from __future__ import annotations`: typer evaluates the signature's Annotated options
from pathlib import Path
from typing import Optional

import typer

from kinerja_xl.cli import options
from kinerja_xl.cli.options import DEFAULT_MAX_SECONDS
from kinerja_xl.i18n import N_, gettext_for, translate


def periksa(
    file: Path = typer.Argument(..., metavar="BERKAS", show_default=False,
                                help="Buku kerja .xlsx/.xlsm yang diperiksa (tidak pernah diubah; .xls/.ods: simpan dulu sebagai .xlsx)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="BERKAS", show_default=False,
                                          help="Berkas salinan bertanda [bawaan: NAMA.periksa.xlsx di samping berkas]."),
    fail_on: options.FailOn = None,
    lang: options.LangOpt = None,
    select: options.Select = None,
    ignore: options.Ignore = None,
    config: options.ConfigFile = None,
    max_seconds: options.MaxSeconds = DEFAULT_MAX_SECONDS,
    max_rows: options.MaxRows = None,
    exit_zero: options.ExitZero = False,
) -> None:
    """Periksa buku kerja dan tulis salinan bertanda: sel salah diwarnai dan diberi catatan, lembar Temuan di depan.

    Berkas asli tidak pernah diubah. Jingga = galat, biru muda = peringatan.
    Menandai ulang salinan bertanda tidak menumpuk tanda. `kinerja-xl clear` menghapus semua tanda.

    Kode keluar: 0 tidak ada temuan setingkat --fail-on; 1 ada temuan (juga buku kerja tanpa tabel laporan
    yang dikenali, KX010); 2 berkas tidak dapat dibaca/ditulis atau pemeriksaan melebihi --max-seconds.
    """
    from kinerja_xl.cli.common import check_max_seconds, console, exit_code, fail, limits, settings
    from kinerja_xl.cli.timebound import TimeLimitExceeded, time_bound
    from kinerja_xl.cli.timebound import message as timeout_message
    from kinerja_xl.gcpause import start_up_done
    from kinerja_xl.writeback.annotate import WritebackError, annotate_file, os_message

    start_up_done()
    cfg = settings(config, file, lang, fail_on, select, ignore)
    check_max_seconds(max_seconds)
    try:
        with time_bound(max_seconds, file, cfg.lang):
            result = annotate_file(file, output, cfg, limits=limits(max_rows))
    except TimeLimitExceeded:
        raise fail(timeout_message(file, max_seconds, cfg.lang))
    except WritebackError as exc:
        raise fail(exc.message(cfg.lang))
    except OSError as exc:
        raise fail(os_message(exc, file, cfg.lang))
    report = result.report
    if report.error is not None:
        raise fail(report.error.message(cfg.lang))
    _ = gettext_for(cfg.lang)
    plan = result.plan
    out = console()
    counts = plan.counts
    out.print(_("{file}: {n} temuan (galat {e}, peringatan {w}, info {i}); {marks} sel ditandai, "
                "{values} nilai terhitung diisikan.").format(
        file=file.name, n=plan.n_findings, e=counts["error"], w=counts["warning"], i=counts["info"],
        marks=len(plan.marks), values=len(plan.values)))
    if result.cleared_first:
        out.print(_("Tanda kinerja-xl sebelumnya dihapus dulu."))
    out.print(_("Salinan bertanda: {path}").format(path=result.output))
    code = exit_code([report], cfg.fail_on)
    raise typer.Exit(0 if exit_zero and code == 1 else code)


def clear(
    file: Path = typer.Argument(..., metavar="BERKAS", show_default=False,
                                help="Salinan bertanda (hasil `kinerja-xl periksa`)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="BERKAS", show_default=False,
                                          help="Berkas hasil [bawaan: NAMA.bersih.xlsx di samping berkas]."),
    in_place: bool = typer.Option(False, "--in-place",
                                  help="Hapus tanda langsung di berkas ini (hanya untuk salinan bertanda; ditulis atomik)."),
    lang: options.LangOpt = None,
) -> None:
    """Hapus semua tanda kinerja-xl: warna, catatan, lembar Temuan dan lembar status; kembalikan warna dan catatan asli.

    Bawaan: menulis salinan baru NAMA.bersih.xlsx (berkas yang diberikan tidak diubah).
    --in-place menimpa berkas itu sendiri, lewat berkas sementara dan rename atomik;
    hanya berkas yang memuat tanda kinerja-xl yang diubah.

    Kode keluar: 0 selesai; 2 berkas tidak dapat dibaca atau tidak memuat tanda kinerja-xl.
    """
    from kinerja_xl.cli.common import console, fail
    from kinerja_xl.gcpause import start_up_done
    from kinerja_xl.writeback.annotate import WritebackError, clear_file, os_message

    start_up_done()
    language = lang.value if lang else "id"
    try:
        out, state = clear_file(file, output, in_place, language)
    except WritebackError as exc:
        raise fail(exc.message(language))
    except OSError as exc:
        raise fail(os_message(exc, file, language))
    if state is None:
        console().print(translate(N_("{file}: tidak ada tanda kinerja-xl; berkas tidak diubah."), language)
                        .format(file=file.name))
        return
    console().print(translate(N_("{n} sel dikembalikan seperti semula. Berkas: {path}"), language)
                    .format(n=len(state.cells), path=out))
