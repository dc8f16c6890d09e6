"""Codes the engine reports itself: reading files and cells, structure, internal errors.

Listed by ``kinerja-xl rules`` and explained by ``kinerja-xl explain`` like
every domain rule.
"""

from kinerja_xl.rules import engine_rule, rules_in
from kinerja_xl.i18n import N_

FILE_NOT_FOUND = engine_rule("KX001", "file-not-found", N_("{detail}"), """
    The file does not exist or cannot be opened.

    Periksa nama berkas dan foldernya; berkas di folder jaringan harus tersedia.
""")
NOT_A_WORKBOOK = engine_rule("KX002", "not-a-workbook", N_("{detail}"), """
    The file is not an Excel workbook (.xlsx/.xlsm).

    Salah: laporan.pdf diganti nama menjadi laporan.xlsx.
    Benar: simpan laporan dari Excel sebagai Buku Kerja Excel (.xlsx).
""")
CORRUPT = engine_rule("KX003", "corrupt-file", N_("{detail}"), """
    The workbook is damaged or truncated (an incomplete download or copy).
""")
LEGACY = engine_rule("KX004", "legacy-xls", N_("{detail}"), """
    The old binary .xls format is read for checking; the annotated copy needs .xlsx.
""")
ENCRYPTED = engine_rule("KX005", "encrypted-workbook", N_("{detail}"), """
    The workbook is protected with a password to open; remove it and save.
""")
UNSAFE = engine_rule("KX007", "unsafe-package", N_("{detail}"), """
    The file is larger than the limits, inflates like a zip bomb, or carries a DTD; it is refused unread.

    Excel never writes a DTD (`<!DOCTYPE`, `<!ENTITY`) into a workbook's XML
    parts; one there is an entity bomb ("billion laughs") or an external
    entity (XXE, e.g. `file:///etc/passwd`), so the file is not parsed at all.
""")
SHEET_TOO_LARGE = engine_rule("KX008", "sheet-too-large", N_("{detail}"), """
    A sheet declares more rows or cells than the limits; the file is refused unread.

    Quarterly reports have hundreds of rows. A sheet of a million rows is an
    export gone wrong or a hostile file, and reading it would take minutes.
    Salah: data di A1:E1000000. Benar: hapus baris kosong di bawah tabel, atau
    naikkan batasnya (`--max-rows`).
""")
TIME_LIMIT = engine_rule("KX020", "time-limit-exceeded", N_("{detail}"), """
    Checking the file took longer than the per-file time limit; it was stopped.

    `kinerja-xl audit` checks each file in a worker process and stops it after
    `--max-seconds`; the other files are still checked.
""")
MEMORY_LIMIT = engine_rule("KX021", "memory-limit-exceeded", N_("{detail}"), """
    Checking the file needed more memory than the per-file limit; it was stopped.

    `kinerja-xl audit` bounds each worker's memory (`--max-memory-mb`); the
    other files are still checked.
""")
WORKER_CRASHED = engine_rule("KX022", "worker-crashed", N_("{detail}"), """
    The process checking the file stopped unexpectedly; the file was not checked.

    The other files are still checked. Please report the file (if you may share it).
""")
NO_TABLE = engine_rule("KX010", "no-table-found", N_("Tidak ada tabel laporan yang dikenali di buku kerja ini. Pastikan baris judul kolom memuat mis. 'PLAFON ANGGARAN', 'REALISASI', 'SISA' atau 'PAGU AWAL', 'PAGU REFOKUSING'; gunakan `kinerja-xl template` untuk templat resmi."), """
    No known table was found by its headers on any sheet.

    Tables are found by header text anywhere on a sheet (case, spacing and
    punctuation ignored). Salah: headers 'Kolom1, Kolom2'. Benar: 'PLAFON
    ANGGARAN | REALISASI KEUANGAN | SISA ANGGARAN'.
""", severity="error")
WEAK_MATCH = engine_rule("KX012", "weak-table-match", N_("Tabel di baris {header_row} mirip '{kind}' (judul kolom: {headers}), tetapi buktinya kurang; tabel ini tidak diperiksa."), """
    A table matched a kind's headers too weakly to be checked; it is named, not checked.

    Salah: WILAYAH | Q1 | Q2 | Q3 | Q4 with sales in the thousands (no survey).
    Benar: NO | RESPONDEN | P1 | P2 | … with answers 1–4.
""", severity="info")
EXCEPTION_UNUSED = engine_rule("KX011", "exception-unused", N_("Pengecualian untuk {code} di {target} tidak lagi terpakai: temuannya sudah tidak ada. Hapus barisnya dari lembar Pengecualian."), """
    A reviewed exception (sheet 'Pengecualian': SEL, KODE, ALASAN) matches no finding.

    Exceptions that outlive their finding hide nothing today but would hide a
    new problem tomorrow, so they are reported.
""", severity="warning")
UNCACHED = engine_rule("KX101", "value-not-computed", N_("Rumus di sel ini belum pernah dihitung (berkas disimpan oleh program lain), nilainya tidak dapat dibaca. Buka dan simpan ulang di Excel."), """
    A formula cell has no cached value and kinerja-xl cannot compute it, so its number is unknown.

    Files written by scripts (openpyxl and others) keep formulas without their
    results. Common formulas are computed (KX105); the rest are not treated
    as zero: no other rule uses them.
""")
UNPARSEABLE = engine_rule("KX102", "unreadable-number", N_("Isi sel '{raw}' bukan angka yang dapat dibaca."), """
    A cell in a numeric column holds text that is not a number.

    Salah: '6.255.403.861 rb'. Benar: 6.255.403.861 (atau '6.255.403.861').
""")
AMBIGUOUS = engine_rule("KX103", "ambiguous-number", N_("Angka '{raw}' bermakna ganda (pemisah ribuan/desimal tidak konsisten). Tulis sebagai 1.234.567,89."), """
    A number whose separators could mean two values is not guessed.

    Salah: '1,234,567,89'. Benar: '1.234.567,89' (titik ribuan, koma desimal).
""")
TEXT_NUMBER = engine_rule("KX104", "number-stored-as-text", N_("{count} sel di kolom {column} berisi angka yang diketik sebagai teks (mis. '{raw}'); dibaca sebagai angka."), """
    Numbers typed as text are read, and reported once per column as info.

    Excel cannot sum text, so a JUMLAH formula over such cells is wrong.
    Salah: '6.255.403.861' (teks). Benar: 6255403861 dengan format #.##0.
""", severity="info")
COMPUTED = engine_rule("KX105", "formula-computed", N_("{count} rumus di kolom {column} belum pernah dihitung (berkas disimpan oleh program lain); kinerja-xl menghitungnya sendiri dari sel yang dirujuk, mis. {first}: ={formula}."), """
    Formulas saved without their value are computed by kinerja-xl, and reported once per column as info.

    Only formulas whose value is certain (SUM, + − × /, ROUND over the sheet's
    own cells) are computed; the others stay KX101.
""", severity="info")
RELATION_IN_DATA = engine_rule("KX090", "relation-in-data", N_("{text}"), """
    A table kinerja-xl does not know obeys an identity on most rows; this row breaks it.

    Salah: LEBIH/(KURANG) = ANGGARAN − REALISASI on 14 of 15 rows, the 15th typed
    355.162.317 instead of 355.126.317. Benar: 355.126.317.
""", severity="warning")
NOT_A_NUMBER = engine_rule("KX106", "not-a-number-not-checked", N_("Sel '{raw}' bukan angka (data belum tersedia atau predikat huruf); sel ini tidak diperiksa."), """
    A cell that holds no number by right ('n/a', a SAKIP grade 'BB' as target) is not checked.

    Reported as info so that it is seen: no rule judges the row's arithmetic.
    Salah: realisasi '12,5 persen'. Benar: realisasi 'n/a' bila data belum tersedia.
""", severity="info")
INTERNAL = engine_rule("KX901", "internal-error", N_("Aturan {rule} gagal dijalankan ({error}). Temuan lain tetap dilaporkan; mohon laporkan masalah ini."), """
    A rule crashed on this workbook. It is reported instead of stopping the check.
""")

RULES = rules_in(globals())
