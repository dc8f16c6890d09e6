"""Rules across reports (KX85x), run by ``kinerja-xl audit``: one unit over the quarters of a
year, one kode across units.

Scope ``report``: each rule gets the plain results the audit's workers return
for every file (``kinerja_xl.audit.extract``: the file's ``identity``,
``ROW_FIELDS`` rows of each realisasi table, its ``ikm``), never workbooks, so
they cost nothing next to reading the files. Every finding names both files:
``file`` is the later (or deviating) report, ``related`` the other one, and
the message says both names.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from kinerja_xl.findings import Finding, Fixed, Percent
from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import RuleContext, rule, rules_in
from kinerja_xl.tables import fold, rupiah
from kinerja_xl.i18n import N_, Message

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

_SPACE = re.compile(r"\s+")


def _norm_kode(kode: Any) -> str | None:
    if not isinstance(kode, str):
        return None
    k = _SPACE.sub("", kode).strip(".,;:")
    return k or None


@lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    """Names repeat across thousands of reports: fold each distinct one once."""
    return fold(text)


def _key(row: list[Any]) -> str | None:
    """Match key of a realisasi row: its kode, else its folded name."""
    return _norm_kode(row[1]) or (_folded(row[2]) if isinstance(row[2], str) else None) or None


def _subs(result: dict[str, Any]) -> dict[str, list[Any]]:
    rows = result.get("rows") or []
    chosen = [r for r in rows if r[0] == "sub_kegiatan"]
    if not chosen:  # hierarchy not recognised: every coded row stands for itself
        chosen = [r for r in rows if r[0] != "total" and _norm_kode(r[1])]
    out: dict[str, list[Any]] = {}
    for r in chosen:
        k = _key(r)
        if k and k not in out:
            out[k] = r
    return out


def _name(path: str) -> str:
    return Path(path).name


def _where(path: str, sheet: str | None, cell: str | None) -> str:
    if not sheet:
        return _name(path)
    loc = "'" + sheet.replace("'", "''") + "'"
    return f"{_name(path)}:{loc}!{cell}" if cell else f"{_name(path)}:{loc}"


def _label(row: list[Any]) -> str:
    kode = _norm_kode(row[1])
    uraian = (row[2] or "").strip()
    return f"{kode} {uraian}".strip() if kode else uraian



def _f(ctx: RuleContext, path: str, *, sheet=None, cell=None, row_key=None, related=(), expected=None, actual=None,
       difference=None, **params) -> Finding:
    f = ctx.finding(sheet=sheet, cell=cell, row_key=row_key, related=tuple(related),
                    expected=expected, actual=actual, difference=difference, **params)
    return f.with_file(path)


def _grouped(results: list[dict[str, Any]]):
    """(reports without a unit/quarter/year, second reports of a slot, {(unit, year): {quarter: result}}), in file order."""
    unknown: list[tuple[dict[str, Any], list[str]]] = []
    repeated: list[tuple[dict[str, Any], dict[str, Any]]] = []
    groups: dict[tuple[str, int], dict[int, dict[str, Any]]] = defaultdict(dict)
    for res in results:
        if res.get("error"):
            continue
        ident = res.get("identity") or {}
        missing = [k for k in ("unit", "triwulan", "tahun") if not ident.get(k)]
        if missing:
            unknown.append((res, missing))
            continue
        slot = groups[(ident["unit"], ident["tahun"])]
        q = ident["triwulan"]
        if q in slot:
            repeated.append((slot[q], res))
            continue
        slot[q] = res
    return unknown, repeated, groups


def _years(results: list[dict[str, Any]]) -> Iterator[tuple[str, int, list[dict[str, Any]]]]:
    """(unit, year, its reports in quarter order) for every unit and year."""
    groups = _grouped(results)[2]
    for (unit, tahun), quarters in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        yield unit, tahun, [quarters[q] for q in sorted(quarters)]


def _pairs(results: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Consecutive reports of one unit and year (TW I → II, II → III, …)."""
    for _unit, _tahun, ordered in _years(results):
        yield from zip(ordered, ordered[1:])


def _common(a: dict[str, Any], b: dict[str, Any]) -> dict[str, str]:
    qa, qb = a["identity"]["triwulan"], b["identity"]["triwulan"]
    return dict(file_a=_name(a["path"]), file_b=_name(b["path"]), qa=ROMAN[qa], qb=ROMAN[qb], qa_n=str(qa), qb_n=str(qb))


def _matched(results: list[dict[str, Any]]):
    """(earlier report, later report, sub kegiatan of the earlier, of the later) per consecutive pair."""
    for a, b in _pairs(results):
        yield a, b, _subs(a), _subs(b)


_PLAFON, _REALISASI = 3, 4  # a sub kegiatan row's amounts (sen); their cells are at index + 4


def _amount_changes(results, ctx, index: int, changed):
    """A finding at the later quarter's cell for each sub kegiatan whose amount ``index`` ``changed(before, after)``
    from one quarter to the next."""
    for a, b, sa, sb in _matched(results):
        for key, rb in sb.items():
            ra = sa.get(key)
            if ra is not None and ra[index] is not None and rb[index] is not None and changed(ra[index], rb[index]):
                before, after = rupiah(ra[index]), rupiah(rb[index])
                yield _f(ctx, b["path"], sheet=rb[5], cell=rb[index + 4], row_key=_norm_kode(rb[1]) or rb[2],
                         related=(_where(a["path"], ra[5], ra[index + 4]),), expected=before, actual=after,
                         difference=after - before, uraian=_label(rb), before=before, after=after, **_common(a, b))


@rule("KX851", "realisasi-decreased", tables=(), scope="report", message=N_("Realisasi kumulatif '{uraian}' turun dari {before} (TW {qa}, {file_a}) menjadi {after} (TW {qb}, {file_b}); realisasi triwulanan dijumlahkan sejak awal tahun sehingga tidak boleh turun."))
def realisasi_decreased(results, ctx):
    """Cumulative realisasi of a sub kegiatan fell from one quarter to the next.

    Quarterly reports give realisasi from January to the end of the quarter,
    so it can only stay or grow (a correction is a journal, not a smaller
    total). Sub kegiatan are matched by kode, else by their name.
    Salah: TW II 2.620.000, TW III 1.310.000. Benar: TW III ≥ 2.620.000.
    """
    yield from _amount_changes(results, ctx, _REALISASI, lambda before, after: after < before)


@rule("KX852", "plafon-changed", tables=(), scope="report", severity="warning", message=N_("Plafon '{uraian}' berubah dari {before} (TW {qa}, {file_a}) menjadi {after} (TW {qb}, {file_b}), selisih {difference}. Pastikan ada dasar perubahannya (refocusing/perubahan APBD)."))
def plafon_changed(results, ctx):
    """The plafon of a sub kegiatan differs between two quarters of one year.

    Plafon changes only with a budget revision (refocusing, APBD perubahan);
    the auditor checks each one against its decree. Both values are given.
    Salah: plafon TW II 772.000, TW III 800.000 tanpa dasar perubahan. Benar: TW III 772.000, atau
    perubahannya tercatat (refocusing/perubahan APBD).
    """
    yield from _amount_changes(results, ctx, _PLAFON, lambda before, after: after != before)


@rule("KX853", "sub-kegiatan-removed", tables=(), scope="report", severity="warning", message=N_("Sub kegiatan '{uraian}' ada di TW {qa} ({file_a}) tetapi tidak ada di TW {qb} ({file_b})."))
def sub_kegiatan_removed(results, ctx):
    """A sub kegiatan of the earlier quarter is missing from the later report.

    A cumulative report keeps every sub kegiatan of the year, even without
    realisasi; a missing one hides its plafon and realisasi.
    Salah: 7.01.01.2.01.02 ada di TW II, hilang di TW III. Benar: tetap tercantum di TW III (realisasi boleh 0).
    """
    for a, b, sa, sb in _matched(results):
        for key, ra in sa.items():
            if key not in sb:
                yield _f(ctx, b["path"], row_key=_norm_kode(ra[1]) or ra[2],
                         related=(_where(a["path"], ra[5], ra[7]),), uraian=_label(ra), **_common(a, b))


@rule("KX854", "sub-kegiatan-added", tables=(), scope="report", severity="info", message=N_("Sub kegiatan '{uraian}' baru muncul di TW {qb} ({file_b}); tidak ada di TW {qa} ({file_a})."))
def sub_kegiatan_added(results, ctx):
    """A sub kegiatan appears in a later quarter that the earlier report did not have.

    Usually a budget revision added it; listed so the auditor can match it
    with the revision.
    Salah: 7.01.01.2.06.01 muncul di TW III tanpa perubahan anggaran. Benar: ada di TW II juga, atau
    dasar perubahannya tercatat.
    """
    for a, b, sa, sb in _matched(results):
        for key, rb in sb.items():
            if key not in sa:
                yield _f(ctx, b["path"], sheet=rb[5], cell=rb[8] or rb[7], row_key=_norm_kode(rb[1]) or rb[2],
                         related=(_name(a["path"]),), uraian=_label(rb), **_common(a, b))


@rule("KX855", "nomenclature-drift", tables=(), scope="report", severity="warning", message=N_("Kode {kode} bernama '{uraian}' di {unit} ({file_b}), tetapi '{other}' di {other_unit} ({file_a}) dan {count} laporan lain. Gunakan nomenklatur resmi (Kepmendagri 050-5889/2021)."))
def nomenclature_drift(results, ctx):
    """The same kode carries a different uraian in different reports.

    Kode and nomenclature of sub kegiatan are national (Permendagri 90/2019);
    a unit that renames one, or types the wrong kode, breaks every
    consolidation. The most common name is taken as the reference.
    Salah: 7.01.01.2.02.01 'Penyediaan Gaji ASN'. Benar: 'Penyediaan Gaji dan Tunjangan ASN'.
    """
    names: dict[str, Counter] = defaultdict(Counter)
    where: dict[tuple[str, str], list[tuple[dict[str, Any], list[Any]]]] = defaultdict(list)
    for res in results:
        if res.get("error"):
            continue
        seen = set()
        for row in res.get("rows") or []:
            kode = _norm_kode(row[1])
            if not kode or not row[2] or row[0] == "total":
                continue
            name = _folded(row[2])
            if (kode, name) in seen:
                continue
            seen.add((kode, name))
            names[kode][name] += 1
            where[(kode, name)].append((res, row))
    for kode, counter in sorted(names.items()):
        if len(counter) < 2:
            continue
        reference, ref_count = counter.most_common(1)[0]
        ref_res, ref_row = where[(kode, reference)][0]
        for name, _count in counter.items():
            if name == reference:
                continue
            for res, row in where[(kode, name)]:
                yield _f(ctx, res["path"], sheet=row[5], cell=None, row_key=kode,
                         related=(_where(ref_res["path"], ref_row[5], None),), kode=kode, uraian=row[2].strip(),
                         other=ref_row[2].strip(), unit=_unit(res), other_unit=_unit(ref_res),
                         file_a=_name(ref_res["path"]), file_b=_name(res["path"]), count=max(ref_count - 1, 0))


def _unit(res: dict[str, Any]) -> str:
    return (res.get("identity") or {}).get("unit") or _name(res["path"])


@rule("KX856", "ikm-trend", tables=(), scope="report", severity="info", message=N_("IKM {unit} {tahun}: {trend} ({direction})."))
def ikm_trend(results, ctx):
    """The IKM of a unit per quarter of one year, with its trend.

    Information for the auditor: a falling IKM is worth a question even when
    every table adds up.
    Salah (patut ditanyakan): IKM TW I 87,28, TW II 80,10. Benar: IKM tetap atau naik.
    """
    for unit, tahun, ordered in _years(results):
        points = [(r["identity"]["triwulan"], r["ikm"], r["path"]) for r in ordered if r.get("ikm") is not None]
        if len(points) < 2:
            continue
        # the points joined as one template ({p0} → {p1} …), each point a message of its own
        trend = Message(" → ".join(f"{{p{i}}}" for i in range(len(points))),
                        **{f"p{i}": Message(N_("TW {roman} {ikm}"), roman=ROMAN[q], n=q, ikm=Fixed(v, 2))
                           for i, (q, v, _) in enumerate(points)})
        change = points[-1][1] - points[0][1]
        if abs(change) < 0.005:
            direction = Message(N_("tetap"))
        elif change > 0:
            direction = Message(N_("naik {n}"), n=Fixed(change, 2))
        else:
            direction = Message(N_("turun {n}"), n=Fixed(-change, 2))
        yield _f(ctx, points[-1][2], related=tuple(_name(p) for _, _, p in points[:-1]),
                 expected=Percent(points[0][1]), actual=Percent(points[-1][1]), difference=Percent(round(change, 2)),
                 unit=unit, tahun=str(tahun), trend=trend, direction=direction)


@rule("KX857", "duplicate-report", tables=(), scope="report", severity="warning", message=N_("{file_b} dan {file_a} sama-sama laporan {unit} TW {qa} {tahun}; hanya satu yang dipakai untuk perbandingan antartriwulan ({file_a})."))
def duplicate_report(results, ctx):
    """Two files report the same unit, quarter and year.

    Often a revised report sent beside the first; keep one, or name the
    revision in the --map file.
    Salah: lumajang-tw3.xlsx dan lumajang-tw3-revisi.xlsx di satu folder. Benar: satu berkas per unit dan triwulan.
    """
    for first, res in _grouped(results)[1]:
        ident = res["identity"]
        q = ident["triwulan"]
        yield _f(ctx, res["path"], related=(_name(first["path"]),), file_a=_name(first["path"]),
                 file_b=_name(res["path"]), unit=ident["unit"], qa=ROMAN[q], qa_n=str(q), tahun=str(ident["tahun"]))


@rule("KX858", "report-unidentified", tables=(), scope="report", severity="warning", message=N_("Unit, triwulan atau tahun laporan ini tidak dapat ditentukan ({missing}); laporan tidak ikut dibandingkan antartriwulan. Isi lembar Info (Unit Kerja, Triwulan, Tahun) atau beri --map."))
def report_unidentified(results, ctx):
    """The report's unit, quarter or year is unknown, so cross-report rules skip it.

    They are read from an Info sheet, else from the titles
    ('LAPORAN KINERJA TRIWULAN III', 'KECAMATAN LUMAJANG TAHUN 2021'), else from
    the auditor's --map CSV (file,unit,kode,triwulan,tahun).
    Salah: judul 'LAPORAN KINERJA' tanpa triwulan dan tahun. Benar: 'LAPORAN KINERJA TRIWULAN III TAHUN 2021'.
    """
    for res, missing in _grouped(results)[0]:
        yield _f(ctx, res["path"], missing=", ".join(missing))


KIND = TableKind(
    name="cross_report",
    title=N_("Antarlaporan (audit)"),
    rules=rules_in(globals()),
    # compares reports, not cells of one table
    checked_fields={},
)
