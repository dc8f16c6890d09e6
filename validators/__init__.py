"""Domain knowledge of kinerja-xl: one table kind per official table, as plugins of the engine.

Each table kind is declared in one place (``KIND = TableKind(...)`` at the
foot of its module, or in its package's ``__init__``): its header vocabulary
(``SPECS``: concept -> Indonesian header patterns), its pandera schema
(``kinerja_validators.schemas``), its rules and its ``hitung`` computation.
Nothing here reads or writes files: frames in, findings out. The engine finds
``KINDS`` through the entry-point group ``kinerja_xl.kinds`` (pyproject.toml)
and imports nothing from this package. Installed under the import name
``kinerja_validators`` (a top-level ``validators`` would collide with the PyPI
package of that name). CONTRIBUTING.md walks through adding a kind.

| kind          | table                                              | codes  |
|---------------|----------------------------------------------------|--------|
| realisasi     | Realisasi anggaran (program/kegiatan/sub kegiatan) | KX3xx, KX4xx |
| refocusing    | Pagu sebelum dan sesudah refocusing                | KX5xx  |
| lra           | Laporan Realisasi Anggaran (APBDes, SKPD, pemda)   | KX41x  |
| perubahan     | APBD / DPA / APBDes perubahan                      | KX42x  |
| apbdes        | Penjabaran APBDes, ringkasan portal desa (lra)     | KX411–KX415, KX418 |
| pk            | Perjanjian Kinerja (targets, program budgets)      | KX55x  |
| iku           | Capaian IKU                                        | KX7xx  |
| perbandingan  | Perbandingan dengan tahun lalu                     | KX7xx  |
| renstra       | Target jangka menengah (Renstra)                   | KX7xx  |
| skm           | Rekapitulasi SKM / IKM                             | KX6xx  |
| skm_responden | Raw survey responses                               | KX6xx  |
| kode          | Kode sub kegiatan format and prefixes              | KX1xx  |
| cross         | Identities between tables (scope ``workbook``)     | KX8xx  |
| cross_report  | Across reports, for the audit (scope ``report``)   | KX85x  |
"""

from kinerja_validators import (
    cross, cross_report, iku, kode, lra, perbandingan, perubahan, pk, realisasi, refocusing, renstra, skm,
)

# the order of the specs decides which one claims a header row first
KINDS = (
    realisasi.KIND, refocusing.KIND, pk.KIND, iku.KIND, perbandingan.KIND, renstra.KIND,
    skm.KIND, skm.RESPONSES_KIND,
    # after the kinds above (whose order is fixed): a tie on matched columns goes to the earlier spec, and
    # these two need a column none of those has (LEBIH/(KURANG), BERTAMBAH/(BERKURANG)), so they take nothing of theirs
    lra.KIND, perubahan.KIND, kode.KIND, cross.KIND, cross_report.KIND,
)

TABLE_SPECS = [spec for kind in KINDS for spec in kind.specs]

__all__ = ["KINDS", "TABLE_SPECS"]
