"""Which unit, quarter and year a workbook reports on.

Three sources, each field taken from the first that has it:
1. an ``Info`` sheet: label in column A, value in column B (``Unit Kerja``,
   ``Kode Unit``, ``Kabupaten``, ``Triwulan``, ``Tahun``);
2. the titles at the top of the sheets and above the tables
   (``LAPORAN KINERJA TRIWULAN III``, ``Tabel realisasi Triwulan III Tahun 2021``,
   ``KECAMATAN LUMAJANG``);
3. the auditor's ``--map`` CSV (``file,unit,kode,triwulan,tahun``).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from kinerja_xl.tables import fold

QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4,
            "SATU": 1, "DUA": 2, "TIGA": 3, "EMPAT": 4, "PERTAMA": 1, "KEDUA": 2, "KETIGA": 3, "KEEMPAT": 4}
_Q = r"(?P<q>IV|III|II|I|[1-4]|SATU|DUA|TIGA|EMPAT|PERTAMA|KEDUA|KETIGA|KEEMPAT)"
_QUARTER_RE = re.compile(rf"\b(?:TRI ?WULAN|TRI ?BULAN|TW|TRIW)\s*(?:KE\s*)?{_Q}\b")
_YEAR_RE = re.compile(r"\bTAHUN (?:ANGGARAN )?(?P<y>20\d\d)\b")
_UNIT_WORDS = ("KECAMATAN", "KELURAHAN", "DINAS", "BADAN", "INSPEKTORAT", "SEKRETARIAT", "SATUAN", "KANTOR",
               "BAGIAN", "RSUD", "RUMAH SAKIT", "PUSKESMAS", "UPT")
_UNIT_RE = re.compile(r"\b(?P<u>(?:%s)\b[A-Z0-9 ]*)" % "|".join(_UNIT_WORDS))
# words that end a unit name inside a longer title ("KECAMATAN LUMAJANG TAHUN 2021")
_UNIT_STOP = re.compile(r"\s+\b(TAHUN|TRIWULAN|TRIBULAN|TRI BULAN|TW|KABUPATEN|PERIODE|UNTUK|PADA|SAMPAI|S D)\b.*$")
_INFO_LABELS = {
    "unit": ("UNIT KERJA", "UNIT", "NAMA UNIT", "NAMA UNIT KERJA", "PERANGKAT DAERAH", "NAMA OPD", "OPD", "SKPD"),
    "kode": ("KODE UNIT", "KODE UNIT KERJA", "KODE OPD", "KODE SKPD", "KODE"),
    "kabupaten": ("KABUPATEN", "KOTA", "KABUPATEN KOTA", "PEMERINTAH DAERAH"),
    "triwulan": ("TRIWULAN", "TRIBULAN", "TW", "PERIODE"),
    "tahun": ("TAHUN", "TAHUN ANGGARAN"),
}


@dataclass
class Identity:
    unit: str | None = None
    kode: str | None = None
    kabupaten: str | None = None
    triwulan: int | None = None
    tahun: int | None = None
    source: str | None = None  # info | title | map, of the unit

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def complete(self) -> bool:
        return bool(self.unit and self.triwulan and self.tahun)

    def fill(self, other: "Identity") -> None:
        for key in ("unit", "kode", "kabupaten", "triwulan", "tahun"):
            if getattr(self, key) in (None, "") and getattr(other, key) not in (None, ""):
                setattr(self, key, getattr(other, key))
                if key == "unit":
                    self.source = other.source


def unit_name(text: Any) -> str | None:
    """'kecamatan  Lumajang' -> 'KECAMATAN LUMAJANG' (the key units are grouped by)."""
    t = fold(text)
    return t or None


def quarter(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if value in (1, 2, 3, 4) else None
    t = fold(value)
    if t in QUARTERS:
        return QUARTERS[t]
    m = _QUARTER_RE.search(t) or re.search(rf"^{_Q}$", t)
    return QUARTERS[m.group("q")] if m else None


def year(value: Any) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 2000 <= value <= 2100:
        return int(value)
    m = re.search(r"\b(20\d\d)\b", fold(value))
    return int(m.group(1)) if m else None


def from_info(rows: list[list[Any]]) -> Identity:
    ident = Identity()
    for row in rows[:40]:
        if len(row) < 2 or row[0] is None:
            continue
        label = fold(row[0])
        value = next((v for v in row[1:4] if v is not None and str(v).strip() not in ("", ":")), None)
        if value is None:
            continue
        for key, labels in _INFO_LABELS.items():
            if label in labels and getattr(ident, key) is None:
                if key == "triwulan":
                    ident.triwulan = quarter(value)
                elif key == "tahun":
                    ident.tahun = year(value)
                elif key == "unit":
                    ident.unit = unit_name(value)
                elif key == "kode":
                    ident.kode = str(value).strip()
                else:
                    ident.kabupaten = unit_name(value)
                break
    if ident.unit:
        ident.source = "info"
    return ident


def from_titles(texts: Iterable[str]) -> Identity:
    """Unit, quarter and year from title lines: the value named most often wins.

    Votes, not the first mention, because reports copy sentences between
    quarters (the seed's TW III report says "triwulan II" in one caption).
    """
    votes: dict[str, Counter] = {k: Counter() for k in ("unit", "triwulan", "tahun", "kabupaten")}
    for text in texts:
        t = fold(text)
        if t:
            for key, value in _title_votes(t):
                votes[key][value] += 1
    # most_common keeps first-seen order among ties
    best = {k: (c.most_common(1)[0][0] if c else None) for k, c in votes.items()}
    ident = Identity(unit=best["unit"], kabupaten=best["kabupaten"], triwulan=best["triwulan"], tahun=best["tahun"])
    if ident.unit:
        ident.source = "title"
    return ident


_KABUPATEN_RE = re.compile(r"\bKABUPATEN (?P<k>[A-Z]+(?: [A-Z]+)?)")


@lru_cache(maxsize=4096)
def _title_votes(t: str) -> tuple[tuple[str, Any], ...]:
    """The (field, value) votes of one folded title line, in the order they are counted. Remembered: the
    same titles come back in every report made from one template (~140 lines a workbook, 0,6 -> 0,2 ms)."""
    out: list[tuple[str, Any]] = [("triwulan", QUARTERS[m.group("q")]) for m in _QUARTER_RE.finditer(t)]
    out += [("tahun", int(m.group("y"))) for m in _YEAR_RE.finditer(t)]
    for m in _UNIT_RE.finditer(t):
        name = _UNIT_STOP.sub("", m.group("u")).strip()
        if len(name.split()) >= 2:  # "KECAMATAN" alone names no unit
            out.append(("unit", name))
    m = _KABUPATEN_RE.search(t)
    if m:
        out.append(("kabupaten", _UNIT_STOP.sub("", "KABUPATEN " + m.group("k")).strip()))
    return tuple(out)


def title_texts(sheets, tables) -> list[str]:
    """Text at the top of each sheet (first 12 rows) and each table's caption."""
    out: list[str] = []
    for t in tables:
        if t.title:
            out.append(t.title)
    for s in sheets:
        for row in s.rows[:12]:
            for v in row[:12]:
                if isinstance(v, str) and 6 <= len(v) <= 300:
                    out.append(v)
    return out


def identify(sheets, tables) -> Identity:
    """Identity of a workbook from its Info sheet, then its titles."""
    ident = Identity()
    for s in sheets:
        if fold(s.name) in ("INFO", "INFORMASI", "IDENTITAS"):
            ident = from_info(s.rows)
            break
    ident.fill(from_titles(title_texts(sheets, tables)))
    return ident


# --------------------------------------------------------------------------- --map


class MapError(ValueError):
    pass


def load_map(path: Path) -> dict[str, Identity]:
    """``file,unit,kode,triwulan,tahun`` rows, keyed by the file as written and by its base name."""
    try:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:  # Excel on Windows saves CSV in the ANSI code page
            text = path.read_text(encoding="cp1252")
    except OSError as exc:
        raise MapError(f"{path}: berkas peta tidak dapat dibaca ({exc.strerror or exc}).") from exc
    try:
        # Excel in an Indonesian locale separates with ';'
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
        fields = {fold(f).lower(): f for f in (reader.fieldnames or [])}
        if "file" not in fields:
            raise MapError(f"{path.name}: kolom 'file' tidak ada (harus: file,unit,kode,triwulan,tahun).")
        out: dict[str, Identity] = {}
        for row in reader:
            def get(key: str) -> str:
                return (row.get(fields[key]) or "").strip() if key in fields else ""

            name = get("file")
            if not name:
                continue
            ident = Identity(unit=unit_name(get("unit")), kode=get("kode") or None,
                             triwulan=quarter(get("triwulan")), tahun=year(get("tahun")), source="map")
            out[name] = ident
            out.setdefault(Path(name).name, ident)
        return out
    except csv.Error as exc:
        raise MapError(f"{path}: bukan CSV yang terbaca ({exc}).") from exc


def from_map(mapping: dict[str, Identity], path: str) -> Identity | None:
    p = Path(path)
    for key in (path, str(p.resolve()) if p.is_absolute() else path, p.name):
        if key in mapping:
            return mapping[key]
    for key, ident in mapping.items():  # relative paths written from the folder the auditor works in
        if path.endswith("/" + key.lstrip("./")):
            return ident
    return None
