"""Imported once by the fork server, so that every worker starts warm.

Importing pandas, calamine and the rules costs ~0,5–1,5 s, and the first
check of a workbook another ~0,7 s (lazy imports, schemas, compiled
patterns). Both are paid here, once, by checking a tiny workbook; every
worker forked afterwards starts in milliseconds with all of it in memory.
"""

import os
import tempfile
import zipfile

import pandas  # noqa: F401
import python_calamine  # noqa: F401

from kinerja_xl import runner
from kinerja_xl.audit.extract import audit_file
from kinerja_xl.rules import load_rules

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROWS = [
    ["Tabel realisasi Triwulan I Tahun 2021"],
    ["NO", "KODE", "NAMA PROGRAM/ KEGIATAN/ SUB KEGIATAN", "PLAFON ANGGARAN", "REALISASI KEUANGAN", "SISA ANGGARAN"],
    ["", "", "TOTAL", 1000, 400, 600],
    ["A", "7.01.01", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA", 1000, 400, 600],
    ["I", "7.01.01.2.01", "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah", 1000, 400, 600],
    ["1", "7.01.01.2.01.02", "Koordinasi dan Penyusunan Dokumen RKA-SKPD", 1000, 400, 600],
]


def _sheet_xml() -> str:
    out = []
    for r, row in enumerate(_ROWS, start=1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if isinstance(v, str):
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>{"".join(out)}</sheetData></worksheet>'


def _warm_up() -> None:
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="kinerja-xl-warm-")
    os.close(fd)
    try:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
            z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
            z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="Realisasi" sheetId="1" r:id="rId1"/></sheets></workbook>')
            z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
            z.writestr("xl/worksheets/sheet1.xml", _sheet_xml())
        audit_file(path)
    except Exception:  # warming is an optimisation; a failure here must not stop the audit
        pass
    finally:
        os.unlink(path)


load_rules()
runner.table_specs()
_warm_up()
# Everything loaded so far lives as long as the worker: keep the garbage collector
# off it, so that workers neither scan it nor copy its pages (copy-on-write) on every collection.
import gc  # noqa: E402

from kinerja_xl import gcpause  # noqa: E402

gc.freeze()
gcpause.keep_frozen()
