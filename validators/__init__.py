"""Domain knowledge of kinerja-xl: one module per official table.

Each module holds its table's layout (``SPECS``: header patterns and key
columns), its pandera schema, and its rules. Nothing here reads or writes
files: frames in, findings out. Installed under the import name
``kinerja_validators`` (a top-level ``validators`` would collide with the
PyPI package of that name).

| module        | table                                              | codes  |
|---------------|----------------------------------------------------|--------|
| realisasi     | Realisasi anggaran (program/kegiatan/sub kegiatan) | KX3xx, KX4xx |
| refocusing    | Pagu sebelum dan sesudah refocusing                | KX5xx  |
| pk            | Perjanjian Kinerja (targets, program budgets)      | KX55x  |
| iku           | Capaian IKU                                        | KX7xx  |
| perbandingan  | Perbandingan dengan tahun lalu                     | KX7xx  |
| renstra       | Target jangka menengah (Renstra)                   | KX7xx  |
| skm           | Rekapitulasi SKM / IKM and raw responses           | KX6xx  |
| kode          | Kode sub kegiatan format and prefixes              | KX1xx  |
| cross         | Identities between tables                          | KX8xx  |
"""

from kinerja_validators import cross, iku, kode, perbandingan, pk, realisasi, refocusing, renstra, skm

TABLE_SPECS = [spec for module in (realisasi, refocusing, pk, iku, perbandingan, renstra, skm) for spec in module.SPECS]

__all__ = ["TABLE_SPECS", "cross", "kode"]
