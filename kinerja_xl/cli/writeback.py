"""``kinerja-xl periksa`` (alias ``annotate``) and ``kinerja-xl clear``.

``periksa`` = *check* in Indonesian: it validates like ``validate`` and also
writes an annotated copy ``NAME.periksa.xlsx`` beside the input (marked
cells, notes, the ``Temuan`` sheet first, computed values in empty
designated cells). ``clear`` takes the annotation out again.
"""


from pathlib import Path
from typing import List, Optional

import typer


def _os_message(exc: OSError, file: Path, lang: str) -> str:
    """A file-system failure in the user's language, naming the file it concerns."""
    name = Path(exc.filename).name if exc.filename else file.name
    if lang == "en":
        return f"{name}: cannot write ({exc.strerror or exc}). Is the file open in Excel, or the folder read-only?"
    return f"{name}: tidak dapat ditulis ({exc.strerror or exc}). Apakah berkas sedang dibuka di Excel, atau foldernya hanya-baca?"


def register(app: typer.Typer) -> None:
    from kinerja_xl.cli import Lang, Level

    def periksa(
        file: Path = typer.Argument(..., help="Buku kerja .xlsx/.xlsm yang diperiksa (tidak pernah diubah).", show_default=False),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Berkas salinan bertanda [bawaan: NAMA.periksa.xlsx di samping berkas]."),
        fail_on: Optional[Level] = typer.Option(None, "--fail-on", help="Keluar dengan kode 1 bila ada temuan setingkat ini atau lebih berat [bawaan: error]."),
        lang: Optional[Lang] = typer.Option(None, "--lang", help="Bahasa catatan dan lembar Temuan: id (bawaan) atau en."),
        select: Optional[List[str]] = typer.Option(None, "--select", help="Hanya aturan ini (awalan kode, mis. KX3)."),
        ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Abaikan aturan ini (awalan kode atau nama)."),
        config: Optional[Path] = typer.Option(None, "--config", help="Berkas pengaturan (kinerja-xl.toml)."),
        exit_zero: bool = typer.Option(False, "--exit-zero", help="Selalu keluar dengan kode 0 bila berkas terbaca."),
    ) -> None:
        """Periksa buku kerja dan tulis salinan bertanda: sel salah diwarnai dan diberi catatan, lembar Temuan di depan.

        Berkas asli tidak pernah diubah. Jingga = galat, biru muda = peringatan.
        Menandai ulang salinan bertanda tidak menumpuk tanda. `kinerja-xl clear` menghapus semua tanda.

        Exit code 0: tidak ada temuan setingkat --fail-on; 1: ada temuan; 2: berkas tidak dapat dibaca/ditulis.
        """
        from kinerja_xl.cli import _console, _fail, exit_code, load_settings
        from kinerja_xl.writeback.annotate import WritebackError, annotate_file

        cfg = load_settings(config, file, lang=lang.value if lang else None, fail_on=fail_on.value if fail_on else None,
                            select=tuple(select or ()), ignore=tuple(ignore or ()))
        try:
            result = annotate_file(file, output, cfg)
        except WritebackError as exc:
            raise _fail(exc.message(cfg.lang))
        except OSError as exc:
            raise _fail(_os_message(exc, file, cfg.lang))
        report = result.report
        if report.error is not None:
            raise _fail(report.error.message(cfg.lang))
        en = cfg.lang == "en"
        plan = result.plan
        console = _console()
        counts = plan.counts
        if en:
            console.print(f"{file.name}: {plan.n_findings} findings (error {counts['error']}, warning {counts['warning']}, "
                          f"info {counts['info']}); {len(plan.marks)} cells marked, {len(plan.values)} computed values filled in.")
            if result.cleared_first:
                console.print("The earlier kinerja-xl annotation was cleared first.")
            console.print(f"Annotated copy: {result.output}")
        else:
            console.print(f"{file.name}: {plan.n_findings} temuan (galat {counts['error']}, peringatan {counts['warning']}, "
                          f"info {counts['info']}); {len(plan.marks)} sel ditandai, {len(plan.values)} nilai terhitung diisikan.")
            if result.cleared_first:
                console.print("Tanda kinerja-xl sebelumnya dihapus dulu.")
            console.print(f"Salinan bertanda: {result.output}")
        code = exit_code([report], cfg.fail_on)
        raise typer.Exit(0 if exit_zero and code == 1 else code)

    app.command("periksa")(periksa)
    app.command("annotate", help="Alias of `periksa`: validate and write an annotated copy NAME.periksa.xlsx.")(periksa)

    @app.command("clear")
    def clear(
        file: Path = typer.Argument(..., help="Salinan bertanda (hasil `kinerja-xl periksa`).", show_default=False),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Berkas hasil [bawaan: NAMA.bersih.xlsx di samping berkas]."),
        in_place: bool = typer.Option(False, "--in-place", help="Hapus tanda langsung di berkas ini (hanya untuk salinan bertanda; ditulis atomik)."),
        lang: Optional[Lang] = typer.Option(None, "--lang", help="Bahasa pesan: id (bawaan) atau en."),
    ) -> None:
        """Hapus semua tanda kinerja-xl: warna, catatan, lembar Temuan dan lembar status; kembalikan warna dan catatan asli.

        Bawaan: menulis salinan baru NAMA.bersih.xlsx (berkas yang diberikan tidak diubah).
        --in-place menimpa berkas itu sendiri, lewat berkas sementara dan rename atomik;
        hanya berkas yang memuat tanda kinerja-xl yang diubah.

        Exit code 0: selesai; 2: berkas tidak dapat dibaca atau tidak memuat tanda kinerja-xl.
        """
        from kinerja_xl.cli import _console, _fail
        from kinerja_xl.writeback.annotate import WritebackError, clear_file

        language = lang.value if lang else "id"
        try:
            out, state = clear_file(file, output, in_place, language)
        except WritebackError as exc:
            raise _fail(exc.message(language))
        except OSError as exc:
            raise _fail(_os_message(exc, file, language))
        console = _console()
        if state is None:
            console.print(f"{file.name}: tidak ada tanda kinerja-xl; berkas tidak diubah." if language != "en"
                          else f"{file.name}: no kinerja-xl annotation; file left unchanged.")
            return
        n = len(state.cells)
        console.print(f"{n} sel dikembalikan seperti semula. Berkas: {out}" if language != "en"
                      else f"{n} cells restored. File: {out}")
