"""Template and example builders for the survey tables (SKM / IKM).

- ``survei-skm``: the recap (*Rekapitulasi Nilai Hasil Survei Kepuasan
  Masyarakat*): NO, UNSUR PELAYANAN, PERTANYAAN (number and text under one
  merged header), JUMLAH NILAI, JUMLAH RTMK, NILAI UNSUR PELAYANAN; the
  *Nilai Hasil Survei* (IKM) row and a MUTU row whose values sit in the
  JUMLAH NILAI column (merged across to the last column); then the
  population, the number of respondents and the respondent profile as
  label / ``:`` / value rows under the table.
- ``survei-responden``: raw responses, one row per respondent, one column
  per question (``P1``…) under its unsur's name, scores 1–4, blanks allowed.

The example sheets: ``SKM`` reproduces the seed's recap as printed (its 14
questions, its values including the wrong ones, IKM 87,28, the notes, the
population, the respondents and the IKM poster with the profile);
``Data Responden SKM`` (in the separate example ``contoh-survei-responden.xlsx``,
beside the same recap) is a synthetic set of 188 responses, built so every
question sums to the recap's printed jumlah nilai except question 1 (629,
which gives the printed nilai unsur 3,41; the recap prints 1018).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kinerja_xl.templates import SURVEY_EXAMPLE_NAME, example_sheet, template
from kinerja_xl.templates.common import (
    BODY_FONT, BOLD_FONT, BORDER, CENTER, CHECK_NOTE, COLNUM_FILL, COLNUM_FONT, DECIMAL_2, HITUNG_NOTE, INTEGER, LEFT,
    NOTE_FONT, SUBTITLE_FONT, TEXT, TITLE_FONT, TOTAL_FILL, Col, freeze_below, print_form_only, print_setup, report_year,
    fit_row_height, style_row, title, triwulan_text, unit_title, wrapped_lines, write_header, write_info_sheet, write_note,
    write_signature, write_table, write_title,
)
from kinerja_xl.i18n import N_

UNSUR_NAMES = (
    "Persyaratan", "Sistem, Mekanisme dan Prosedur", "Waktu Penyelesaian", "Biaya / Tarif",
    "Produk Spesifikasi Jenis Pelayanan", "Kompetensi Pelaksana", "Perilaku Pelaksana", "Sarana dan Prasarana",
    "Penanganan Pengaduan, Saran dan Masukan",
)

RECAP_HEADER = [["No.", "Unsur Pelayanan", "Kuisisioner", "<", "<", "<", "<"],
                [None, None, "Pertanyaan", "<", "Jumlah Nilai", "Jumlah RTMK", "Nilai Unsur Pelayanan"]]
RECAP_COLS = [Col.label(6), Col.text(28), Col(5, INTEGER, CENTER), Col.text(50), Col(11, INTEGER), Col(11, INTEGER),
              Col.decimal(13)]
NCOLS = len(RECAP_COLS)

# the seed's recap, as printed: (unsur no, unsur name, question no, question, jumlah nilai, RTMK, nilai unsur)
SEED_RECAP: tuple[tuple[Any, ...], ...] = (
    ("1", "Persyaratan", 1, "Kesesuaian syarat dengan jenis pelayanan", 1018, 0, 3.41),
    (None, None, 2, "Kesesuaian syarat yang terpublikasi dengan syarat yang diminta petugas", 653, 0, None),
    ("2", "Sistem, Mekanisme dan Prosedur", 3, "Kemudahan prosedur/ tata cara pelayanan", 641, 0, 3.41),
    ("3", "Waktu Penyelesaian", 4, "Ketepatan waktu selesainya pelayanan sesuai dengan janji yang tertulis/ terpublikasi/ terpahami",
     655, 0, 3.48),
    (None, None, 5, "Kecepatan selesainya pelayanan", 652, 0, None),
    ("4", "Biaya / Tarif", 6, "Kesesuaian biaya/ tarif dengan yang tertulis/ terpublikasi/ terpahami", 652, 0, 3.73),
    (None, None, 7, "Mahal murahnya biaya/tarif pelayanan", 751, 0, None),
    ("5", "Produk Spesifikasi Jenis", 8,
     "Kesesuaian produk yang diterima dengan janji produk yang diberikan/ terpublikasi/ terpahami", 646, 0, 3.44),
    ("6", "Kompetensi Pelaksana", 9, "Kemampuan petugas dalam melayani", 672, 0, 3.57),
    ("7", "Perilaku Pelaksana", 10, "Sikap perilaku petugas", 646, 0, 3.44),
    ("8", "Sarana & Prasarana", 11, "Kualitas sarpras (sarana dan prasarana).", 665, 0, 3.53),
    (None, None, 12, "Kuantitas sarpras (sarana dan prasarana)", 662, 0, None),
    ("9", "Penanganan Pengaduan, Saran dan Masukan", 13, "Kecepatan respon terhadap keluhan/ pengaduan", 657, 0, 3.37),
    (None, None, 14, "Ketepatan penanganan pengaduan", 605, 0, None),
)
SEED_IKM = 87.28
SEED_POPULATION = 2800
SEED_RESPONDENTS = 188
SEED_GENDER = (("L", 98), ("P", 90))
SEED_EDUCATION = (("SD", 0), ("SMP", 17), ("SMA", 116), ("DIII", 14), ("S1", 40), ("S2", 1))
#: question 1 as the synthetic responses have it: (629 + 653) / 376 = 3,41, the printed nilai unsur
RAW_Q1_TOTAL = 629

NOTES = (
    "- Jumlah nilai (kolom 4) = berasal dari nilai cakupan pertanyaan dengan jenis jawaban a=1, b=2, c=3 dan d=4 "
    "sebanyak responden (r)",
    "- Jumlah RTMK (kolom 5) = jumlah responden yang tidak menjawab/mengisi pertanyaan kuisisioner",
    "- Nilai unsur pelayanan (kolom 6) = jumlah nilai dibagi (:) jumlah responden",
)
SERVICES = (
    "IMB Rumah tempat tinggal tidak bertingkat kurang dari sama dengan 100 meter",
    "Fasilitasi dan koordinasi Kartu Keluarga (KK)",
    "Fasilitasi dan koordinasi Kartu Tanda Penduduk (KTP)",
    "Fasilitasi dan koordinasi AKTA KELAHIRAN",
    "Fasilitasi dan koordinasi AKTA KEMATIAN",
    "Fasilitasi dan koordinasi Pelayanan penerbitan surat keterangan pindah WNI antar Kecamatan dalam satu Kabupaten",
    "Fasilitasi Pendaftaran Izin usaha Mikro melalui OSS",
    "Fasilitasi pada formulir permohonan IMB yang menjadi kewenangan organisasi perangkat daerah teknis penyelenggaraan "
    "perizinan",
    "Fasilitasi pada STP yayasan yatim piatu dan organisasi sosial dan peribadatan",
    "Fasilitasi pada permohonan penggalangan dana sarana sosial dan peribadatan",
    "Fasilitasi pelepasan Hak Atas Tanah untuk Kepentingan Umum",
    "Fasilitasi pada Surat Pernyataan Miskin dan/atau Surat Keterangan Tidak Mampu",
    "Fasilitasi pada Surat Pernyataan Miskin dan/atau Surat Keterangan Domisili Perusahaan",
    "Fasilitasi pada Surat Keterangan Kewarisan (Tanah dan Bangunan)",
    "Legalisir surat surat yang di keluarkan oleh Camat ; dan",
    "Pengawasan Terhadap objek Perizinan yang dikeluarkan oleh Camat",
    "Santunan Kematian",
)

# --------------------------------------------------------------------------- pieces


def _merge(ws, r0: int, c0: int, r1: int, c1: int) -> None:
    if (r0, c0) != (r1, c1):
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)


def _recap_header(ws, row: int) -> int:
    """Header, then the column-number row '1 2 3 4 5 6' (3 spans the two PERTANYAAN columns)."""
    row = write_header(ws, RECAP_HEADER, row)
    for i, n in enumerate((1, 2, 3, None, 4, 5, 6)):
        cell = ws.cell(row, 1 + i, n)
        cell.font, cell.fill, cell.border, cell.alignment, cell.number_format = COLNUM_FONT, COLNUM_FILL, BORDER, CENTER, INTEGER
    _merge(ws, row, 3, row, 4)
    return row + 1


def _recap_rows(ws, row: int, rows: Sequence[Sequence[Any]]) -> int:
    """Question rows; each unsur's NO, name and nilai unsur merged down over its questions."""
    first = row
    starts = []
    for values in rows:
        style_row(ws, row, RECAP_COLS)
        for i, v in enumerate(values):
            if v is not None:
                ws.cell(row, 1 + i, v)
        if values[1] is not None:
            starts.append(row)
        fit_row_height(ws, row, values, RECAP_COLS)
        row += 1
    for i, start in enumerate(starts):
        end = (starts[i + 1] if i + 1 < len(starts) else row) - 1
        for col in (1, 2, 7):
            _merge(ws, start, col, end, col)
    return row if rows else first


def _footer_row(ws, row: int, label: str, value: Any, number_format: str | None) -> int:
    """'Nilai Hasil Survei | 87,28': label over the first four columns, value over the last three."""
    style_row(ws, row, RECAP_COLS, bold=True, fill=TOTAL_FILL)
    ws.cell(row, 1, label).alignment = LEFT
    cell = ws.cell(row, 5, value)
    cell.alignment = CENTER
    if number_format:
        cell.number_format = number_format
    _merge(ws, row, 1, row, 4)
    _merge(ws, row, 5, row, NCOLS)
    return row + 1


def label_value(ws, row: int, label: str, value: Any = None, note: str | None = None, number_format: str | None = None,
                 bold_value: bool = True) -> int:
    """'- Perkiraan Jumlah Populasi | : | 2.800': label in A:B, ':' in C, value in D (a real number)."""
    ws.cell(row, 1, label).font = BODY_FONT
    _merge(ws, row, 1, row, 2)
    ws.cell(row, 3, ":").alignment = CENTER
    cell = ws.cell(row, 4, value)
    cell.font = BOLD_FONT if bold_value else BODY_FONT
    cell.alignment = LEFT
    cell.number_format = number_format or ("#,##0" if isinstance(value, (int, float)) or value is None else TEXT)
    if note:
        ws.cell(row, 5, note).font = NOTE_FONT
    return row + 1


def profile_block(ws, row: int, label: str, items: Sequence[tuple[str, Any]], one_line: bool) -> int:
    """'JENIS KELAMIN : L : 98  P : 90' on one line, or 'PENDIDIKAN : SD : 0' then one category per line."""
    ws.cell(row, 1, label).font = BOLD_FONT
    _merge(ws, row, 1, row, 2)
    ws.cell(row, 3, ":").alignment = CENTER
    if one_line:
        col = 4
        for cat, count in items:
            label = ws.cell(row, col, f"{cat} :")
            label.alignment, label.font = LEFT, BODY_FONT
            c = ws.cell(row, col + 1, count)
            c.number_format, c.alignment, c.font = INTEGER, LEFT, BODY_FONT
            col += 2
        return row + 1
    for cat, count in items:
        label = ws.cell(row, 4, f"{cat} :")
        label.alignment, label.font = LEFT, BODY_FONT
        c = ws.cell(row, 5, count)
        c.number_format, c.alignment, c.font = INTEGER, LEFT, BODY_FONT
        row += 1
    return row


def recap_sheet(wb, name: str, title_lines: Sequence[str], rows: Sequence[Sequence[Any]], ikm: Any, mutu_row: bool,
                mutu: Any = None) -> tuple[Any, int]:
    """The recap table with its IKM (and MUTU) row; returns the sheet and the first row under the table."""
    ws = wb.create_sheet(name)
    row = write_title(ws, title_lines, NCOLS)
    header_first = row
    for i, col in enumerate(RECAP_COLS):
        ws.column_dimensions[chr(65 + i)].width = col.width
    row = _recap_header(ws, row)
    header_last = row - 2
    row = _recap_rows(ws, row, rows)
    row = _footer_row(ws, row, "Nilai Hasil Survei", ikm, DECIMAL_2)
    if mutu_row:
        row = _footer_row(ws, row, "Mutu Pelayanan", mutu, TEXT)
    freeze_below(ws, header_last + 2)
    print_setup(ws, header_first, header_last + 1, landscape=False)
    return ws, row + 1


# --------------------------------------------------------------------------- templates


@template("survei-skm", N_("Rekapitulasi Survei Kepuasan Masyarakat (SKM/IKM)"))
def build_recap_template(wb) -> None:
    """The nine unsur, one question row each (insert rows for more questions under an unsur)."""
    write_info_sheet(wb, template=True)
    rows = [(str(i + 1), name, i + 1, None, None, None, None) for i, name in enumerate(UNSUR_NAMES)]
    ws, row = recap_sheet(wb, "SKM", ["REKAPITULASI NILAI HASIL SURVEI KEPUASAN MASYARAKAT", unit_title(),
                                      SURVEY_PERIOD], rows, None, mutu_row=True)
    ws.cell(row, 1, "REKAPITULASI LAIN - LAIN :").font = BOLD_FONT
    row = label_value(ws, row + 1, "- Perkiraan Jumlah Populasi")
    row = label_value(ws, row, "- Jumlah Responden")
    row += 1
    ws.cell(row, 1, "PROFIL RESPONDEN").font = BOLD_FONT
    row = profile_block(ws, row + 1, "JENIS KELAMIN", [("L", None), ("P", None)], one_line=True)
    row = profile_block(ws, row, "PENDIDIKAN", [(c, None) for c, _ in SEED_EDUCATION], one_line=False)
    row = profile_block(ws, row, "USIA", [(c, None) for c in ("< 20 th", "20–29 th", "30–39 th", "40–49 th", "≥ 50 th")],
                   one_line=False)
    row = profile_block(ws, row, "PEKERJAAN", [(c, None) for c in ("PNS/TNI/Polri", "Pegawai Swasta", "Wiraswasta",
                                                                 "Pelajar/Mahasiswa", "Lainnya")], one_line=False)
    end = write_signature(ws, row, NCOLS)
    print_form_only(ws, end - 1, NCOLS)
    write_note(ws, end + 2, (
        CHECK_NOTE,
        "Isi satu baris per pertanyaan; pertanyaan berikutnya dari unsur yang sama di baris di bawahnya (kolom No. dan "
        "Unsur dikosongkan atau digabung ke bawah).",
        "Jumlah nilai = jumlah skor (a=1, b=2, c=3, d=4) pertanyaan itu; Jumlah RTMK = responden yang tidak menjawab; "
        "Nilai unsur = Σ jumlah nilai / Σ jawaban pertanyaan unsur itu.",
        "IKM = 25 × rata-rata sembilan nilai unsur (bobot 1/9). Mutu: A ≥ 88,31; B ≥ 76,61; C ≥ 65,00; D di bawahnya. "
        f"Nilai unsur, IKM dan mutu: {HITUNG_NOTE}.",
    ), NCOLS)


#: "UNTUK PERIODE SURVEI TRIWULAN III TAHUN 2021", from Info
SURVEY_PERIOD = title("UNTUK PERIODE SURVEI TRIWULAN ", triwulan_text(), " TAHUN ", report_year())


RAW_FIXED = 2  # No., Responden


def _question_widths(questions: Sequence[tuple[str, int]], least: float = 7) -> list[float]:
    """Each question column wide enough that its unsur's name, spread over its columns, breaks only between words."""
    count: dict[str, int] = {}
    for unsur, _ in questions:
        count[unsur] = count.get(unsur, 0) + 1
    widths = []
    for unsur, _ in questions:
        width = least
        while wrapped_lines(unsur, width * count[unsur])[1]:
            width += 1
        widths.append(width)
    return widths


def responses_sheet(wb, name: str, title_lines: Sequence[Any], questions: Sequence[tuple[str, int]],
                    rows: Sequence[Sequence[Any]] = (), blank_rows: int = 0, total_row: bool = False,
                    form: bool = False) -> Any:
    """Header: unsur names over their questions' columns, then P1…Pn; one row per respondent.

    ``form``: the blank form's extras (column-number row, signature from Info).
    """
    ncols = RAW_FIXED + len(questions)
    ws = wb.create_sheet(name)
    row = write_title(ws, title_lines, ncols)
    top: list[Any] = ["No.", "Responden"]
    bottom: list[Any] = [None, None]
    previous = None
    for unsur, number in questions:
        top.append("<" if unsur == previous else unsur)
        bottom.append(f"P{number}")
        previous = unsur
    cols = [Col.label(6), Col.text(14)] + [Col(w, INTEGER, CENTER) for w in _question_widths(questions)]
    placed = write_table(ws, row=row, header=[top, bottom], cols=cols, rows=rows, blank_rows=blank_rows,
                         column_numbers=form)
    row = placed.next_row
    if total_row and rows:
        style_row(ws, row, cols, bold=True, fill=TOTAL_FILL)
        ws.cell(row, 1, "JUMLAH")
        _merge(ws, row, 1, row, 2)
        for i in range(len(questions)):
            ws.cell(row, RAW_FIXED + 1 + i, sum(r[RAW_FIXED + i] for r in rows if r[RAW_FIXED + i] is not None))
        row += 1
    if blank_rows:
        # Excel refuses anything but a whole score 1–4 (a blank stays allowed: RTMK)
        dv = DataValidation(type="whole", operator="between", formula1="1", formula2="4", allow_blank=True,
                            errorTitle="Skor 1–4", error="Isi skor 1, 2, 3 atau 4; kosongkan bila tidak dijawab.",
                            showErrorMessage=True)
        ws.add_data_validation(dv)
        dv.add(f"{get_column_letter(RAW_FIXED + 1)}{placed.data_first}:"
               f"{get_column_letter(ncols)}{placed.data_first + len(rows) + blank_rows - 1}")
    if form:
        row = write_signature(ws, row, ncols)
        print_form_only(ws, row - 1, ncols)
    write_note(ws, row + 1, (
        *((CHECK_NOTE,) if form else ()),
        "Satu baris per responden, satu kolom per pertanyaan: skor 1–4 (a=1, b=2, c=3, d=4); kosongkan bila tidak dijawab "
        "(dihitung sebagai RTMK).",
        f"Nama unsur di baris judul menentukan pengelompokan pertanyaan; rekapnya: {HITUNG_NOTE}.",
    ), min(ncols, 12))
    freeze_below(ws, placed.data_first, RAW_FIXED + 1)
    print_setup(ws, placed.header_first, placed.data_first - 1)
    return ws


@template("survei-responden", N_("Data jawaban responden SKM"))
def build_responses_template(wb) -> None:
    write_info_sheet(wb, template=True)
    questions = [(name, i + 1) for i, name in enumerate(UNSUR_NAMES)]
    responses_sheet(wb, "Data Responden SKM", ["DATA JAWABAN RESPONDEN SURVEI KEPUASAN MASYARAKAT", unit_title(),
                                               SURVEY_PERIOD], questions, blank_rows=40, form=True)


# --------------------------------------------------------------------------- example sheets


@example_sheet(70)
@example_sheet(70, workbook=SURVEY_EXAMPLE_NAME)
def example_recap(wb) -> None:
    """The seed's recap, notes, other facts and the IKM poster, as printed."""
    ws, row = recap_sheet(wb, "SKM", ["REKAPITULASI NILAI HASIL SURVEI KEPUASAN MASYARAKAT KECAMATAN LUMAJANG",
                                      "UNTUK PERIODE SURVEI TRIBULAN TIGA TAHUN 2021"], SEED_RECAP, SEED_IKM, mutu_row=False)
    ws.cell(row, 1, "Keterangan :").font = BOLD_FONT
    row = write_note(ws, row + 1, NOTES, NCOLS) + 1
    ws.cell(row, 1, "REKAPITULASI LAIN - LAIN :").font = BOLD_FONT
    row += 1
    row = label_value(ws, row, "- Perkiraan Jumlah Populasi", SEED_POPULATION)
    row = label_value(ws, row, "- Jumlah Responden", SEED_RESPONDENTS,
                       note="(Jumlah responden dibatasi karena adanya pandemi covid 19)")
    for label, value in (("- Usia Responden Terbanyak", "kisaran antara 30 - 39 thn"),
                         ("- Pendidikan Terakhir Responden Terbanyak", "SLTA"),
                         ("- Jenis Kelamin Responden Terbanyak", "Laki-laki"),
                         ("- Pekerjaan Responden Terbanyak", "Pegawai Swasta")):
        row = label_value(ws, row, label, value)
    ws.cell(row, 1, "- Jenis / bentuk / ruang lingkup pelayanan dilaksanakan :")
    row += 1
    for service in SERVICES:
        ws.cell(row, 2, f"- {service}").font = BOLD_FONT
        _merge(ws, row, 2, row, NCOLS)
        row += 1
    for text in ("- Dari jenis / bentuk / ruang lingkup pelayanan sebagaimana angka 7 , yang terbanyak menimbulkan "
                 "ketidakpuasan pelayanan apa?",
                 "- Dari 9 unsur pelayanan, yang paling banyak terdapat ketidakpuasan pada unsur mana?"):
        ws.cell(row, 1, text)
        _merge(ws, row, 1, row, NCOLS)
        row += 1
    row += 1
    for text in ("Lumajang, 18 Oktober 2021", "Kepala OPD", None, "Drs. DEDWI SUPRAPTO, M.Si", "NIP. 19701218 199101 1 002"):
        if text:
            ws.cell(row, 4, text).number_format = TEXT
        row += 1
    row += 2
    # the IKM poster printed after the recap
    for i, text in enumerate(("INDEKS KEPUASAN MASYARAKAT (IKM)", "KECAMATAN LUMAJANG", "KABUPATEN LUMAJANG", None,
                              "TRI BULAN III TAHUN 2021", None)):
        if text:
            cell = ws.cell(row, 1, text)
            cell.font, cell.alignment = (TITLE_FONT if i < 3 else SUBTITLE_FONT), CENTER
            _merge(ws, row, 1, row, NCOLS)
        row += 1
    ws.cell(row, 1, "NILAI IKM").font = BOLD_FONT
    _merge(ws, row, 1, row, NCOLS)
    ws.cell(row, 1).alignment = CENTER
    cell = ws.cell(row + 1, 1, SEED_IKM)
    cell.font, cell.alignment, cell.number_format = TITLE_FONT, CENTER, DECIMAL_2
    _merge(ws, row + 1, 1, row + 1, NCOLS)
    row += 3
    row = label_value(ws, row, "NAMA LAYANAN", "PERIJINAN DAN NON PERIJINAN") + 1
    ws.cell(row, 1, "RESPONDEN").font = BOLD_FONT
    row = label_value(ws, row + 1, "JUMLAH", SEED_RESPONDENTS, number_format=INTEGER)
    row = profile_block(ws, row, "JENIS KELAMIN", SEED_GENDER, one_line=True)
    row = profile_block(ws, row, "PENDIDIKAN", SEED_EDUCATION, one_line=False)
    row = label_value(ws, row, "PERIODE SURVEI", "BULAN JULI s.d BULAN SEPTEMBER 2021") + 1
    for text in ("TERIMA KASIH ATAS PENILAIAN YANG ANDA BERIKAN MASUKAN ANDA", "SANGAT BERMANFAAT UNTUK KEMAJUAN UNIT KAMI "
                 "AGAR TERUS", "MEMPERBAIKI DAN MENINGKATKAN KUALITAS PELAYANAN BAGI", "MASYARAKAT"):
        cell = ws.cell(row, 1, text)
        cell.font, cell.alignment = BOLD_FONT, CENTER
        _merge(ws, row, 1, row, NCOLS)
        row += 1


def synthetic_responses(totals: Sequence[int], respondents: int) -> list[list[int]]:
    """Deterministic answers (3s and 4s, or 1–4 where needed) whose columns sum to ``totals``.

    Each question gets ``total // respondents`` everywhere and one more on
    ``total % respondents`` respondents, rotated per question so the rows differ.
    """
    out = [[0] * len(totals) for _ in range(respondents)]
    for j, total in enumerate(totals):
        base, extra = divmod(total, respondents)
        if not 1 <= base <= 4 or (base == 4 and extra):
            raise ValueError(f"question {j + 1}: {total} cannot come from {respondents} answers of 1–4")
        start = (j * 37) % respondents
        for i in range(respondents):
            out[i][j] = base + (1 if (i - start) % respondents < extra else 0)
    return out


@example_sheet(80, workbook=SURVEY_EXAMPLE_NAME)
def example_responses(wb) -> None:
    """188 synthetic responses consistent with the recap (question 1: 629, see the module doc)."""
    totals = [RAW_Q1_TOTAL] + [r[4] for r in SEED_RECAP[1:]]
    answers = synthetic_responses(totals, SEED_RESPONDENTS)
    questions = []
    unsur = None
    for r in SEED_RECAP:
        unsur = r[1] or unsur
        questions.append((unsur, r[2]))
    rows = [[i + 1, f"R{i + 1:03d}", *a] for i, a in enumerate(answers)]
    responses_sheet(wb, "Data Responden SKM", ["DATA JAWABAN RESPONDEN SKM KECAMATAN LUMAJANG TRIWULAN III 2021",
                                               "(data contoh sintetis: jumlah tiap pertanyaan = rekap, kecuali P1 = 629)"],
                    questions, rows=rows, total_row=True)
