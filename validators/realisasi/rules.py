"""The rules of the realisasi table (KX30x, KX40x), several shared with the refocusing table."""

from __future__ import annotations

import decimal
import functools

from kinerja_xl.findings import Percent
from kinerja_xl.rules import rule
from kinerja_xl.tables import rupiah
from kinerja_validators.realisasi.analysis import (
    SISA, Difference, SumFailure, _as_dict, _int, _isna, _money_keys, _percent_reading, _tolerance, analysis_for,
    column_label, serapan_values,
)
from kinerja_validators.realisasi.hierarchy import LEVEL_LABEL, top_level_rows


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


@functools.lru_cache(maxsize=None)
def identity_message(diff: Difference, blamed: str) -> tuple[str, str]:
    """Message templates for a broken ``result = minuend − subtrahend``, naming the blamed cell first."""
    mi, si, ri = (column_label(k) for k in (diff.minuend, diff.subtrahend, diff.result))
    me, se, re_ = (column_label(k, "en") for k in (diff.minuend, diff.subtrahend, diff.result))
    if blamed == diff.minuend:
        return (f"{_cap(mi)} {{actual}} ≠ {si} {{subtrahend}} + {ri} {{result}} = {{expected}}, sebagaimana ditunjukkan "
                f"baris induk/rinciannya (selisih {{difference}})",
                f"{_cap(me)} {{actual}} ≠ {se} {{subtrahend}} + {re_} {{result}} = {{expected}}, as its parent/detail "
                f"rows confirm (difference {{difference}})")
    if blamed == diff.subtrahend:
        return (f"{_cap(si)} {{actual}} ≠ {mi} {{minuend}} − {ri} {{result}} = {{expected}}, sebagaimana ditunjukkan "
                f"baris induk/rinciannya (selisih {{difference}})",
                f"{_cap(se)} {{actual}} ≠ {me} {{minuend}} − {re_} {{result}} = {{expected}}, as its parent/detail "
                f"rows confirm (difference {{difference}})")
    return (f"{_cap(ri)} {{actual}} ≠ {mi} {{minuend}} − {si} {{subtrahend}} = {{expected}} (selisih {{difference}})",
            f"{_cap(re_)} {{actual}} ≠ {me} {{minuend}} − {se} {{subtrahend}} = {{expected}} (difference {{difference}})")


def identity_findings(table, ctx, diff: Difference):
    """Findings of one row identity (KX301 sisa, KX501 pengurangan) from the shared analysis."""
    a = analysis_for(table)
    blames = sorted((rk, b) for rk, b in a.blames.items() if b.code == diff.code)
    if not blames:
        return
    cols = [diff.minuend, diff.subtrahend, diff.result]
    rows = sorted({r for (r, _), _ in blames})
    sub = table.frame.loc[rows, cols]
    printed = {k: dict(zip(rows, sub[k].tolist())) for k in cols}  # to_dict("index") boxes cell by cell
    used = _as_dict(a.effective.loc[rows, diff.subtrahend])
    for (r, key), b in blames:
        vals = {k: rupiah(printed[k][r]) for k in cols}
        # the realisasi this identity used may be the Σ of its periods (KX303), not the printed JUMLAH
        if key != diff.subtrahend:
            vals[diff.subtrahend] = rupiah(used[r])
        related = tuple(table.cell(k, r) for k in (diff.minuend, diff.subtrahend, diff.result) if k != key)
        yield ctx.finding(table, key, r, expected=rupiah(b.expected), actual=rupiah(b.actual),
                          difference=rupiah(b.actual - b.expected), message=identity_message(diff, key),
                          related=related, minuend=vals[diff.minuend], subtrahend=vals[diff.subtrahend],
                          result=vals[diff.result])


@rule("KX301", "sisa-identity", tables="realisasi", message=identity_message(SISA, "sisa"))
def sisa_identity(table, ctx):
    """Sisa anggaran = plafon − realisasi on every row.

    The sisa cell is blamed, unless the row's children or parent show that the
    plafon (or the realisasi) is the cell out of line: then that cell is.
    Rows with a value that could not be read are not judged.

    *Salah:* plafon 14.889.710, realisasi 14.850.000, sisa ``-``.
    *Benar:* plafon 14.889.710, realisasi 14.850.000, sisa 39.710.
    """
    return identity_findings(table, ctx, SISA)


@rule("KX303", "period-sum", tables="realisasi", message=(
    "Realisasi JUMLAH {actual} ≠ jumlah realisasi per triwulan {expected} (selisih {difference})",
    "Realisation TOTAL {actual} ≠ sum of the quarterly realisations {expected} (difference {difference})"))
def period_sum(table, ctx):
    """Realisasi JUMLAH = Σ realisasi TW I … TW IV where the table splits realisasi by quarter.

    A blank quarter counts as nothing (not yet reported); a quarter that
    could not be read leaves the row unjudged.

    *Salah:* TW I 10.000, TW II 20.000, TW III 5.000, JUMLAH 30.000.
    *Benar:* TW I 10.000, TW II 20.000, TW III 5.000, JUMLAH 35.000.
    """
    a = analysis_for(table)
    tws = [k for k in sorted(a.money) if k.startswith("realisasi_tw")]
    for (r, key), b in sorted(a.blames.items()):
        if b.code == "KX303":
            yield ctx.finding(table, key, r, expected=rupiah(b.expected), actual=rupiah(b.actual),
                              difference=rupiah(b.actual - b.expected), related=tuple(table.cell(k, r) for k in tws))

_MEAN_MESSAGE = (
    "Persentase {actual} adalah rata-rata persentase baris di bawahnya, bukan Σ realisasi / Σ plafon = {expected}"
    " (realisasi {realisasi} / plafon {plafon})",
    "The percentage {actual} is the mean of the percentages of the rows below it, not Σ realisation / Σ budget = "
    "{expected} (realisation {realisasi} / budget {plafon})")


def _rolled_frame(table, a, headings: set[int]):
    """Amounts, % and the row tree, for ``kx_rolled_serapan``: parents printed without amounts."""
    import pandas as pd

    frame, h = table.frame, a.hierarchy
    cols = {"serapan": frame["serapan"]}
    if "serapan__dp" in frame.columns:
        cols["serapan__dp"] = frame["serapan__dp"]
    return a.effective[[k for k in a.money if k in ("plafon", "realisasi", "sisa") or k.startswith("realisasi_tw")]].assign(
        **cols, parent=h["parent"], level=h["level"], covers_from=h["covers_from"],
        counted=pd.Series(~frame.index.isin(list(headings)), index=frame.index))


@rule("KX302", "serapan-percent", tables="realisasi", message=(
    "Serapan {actual} ≠ realisasi {realisasi} / plafon {plafon} = {expected}",
    "Absorption {actual} ≠ realisation {realisasi} / budget {plafon} = {expected}"))
def serapan_percent(table, ctx):
    """% serapan = realisasi / plafon × 100, within half a unit of the last printed digit.

    A parent's or total row's percentage is Σ realisasi / Σ plafon of the
    rows under it, never the mean of their percentages; a program row that
    prints only its % (its amounts are in its kegiatan and sub kegiatan) is
    checked the same way. A column headed CAPAIAN, CAPAIAN KEUANGAN or
    % REALISASI beside the anggaran and realisasi columns is this %.
    Cells formatted as percent (0,7708 shown as 77,08%) and percent text
    ('77,08%') are both read.

    *Salah:* plafon 600.000, realisasi 500.000, serapan 80,00%.
    *Benar:* plafon 600.000, realisasi 500.000, serapan 83,33%.
    """
    if not table.has("serapan") or not table.has("plafon") or not table.has("realisasi"):
        return
    from kinerja_validators._pandera import failing_rows
    from kinerja_validators.realisasi.analysis import _headings
    from kinerja_validators.realisasi.schema import rolled_serapan_schema, rolled_up, serapan_schema

    a = analysis_for(table)
    frame = table.frame
    dps = frame["serapan__dp"] if "serapan__dp" in frame.columns else None
    checked = a.effective[["plafon", "realisasi"]].assign(
        serapan=frame["serapan"], **({"serapan__dp": dps} if dps is not None else {}))
    tolerance = float(getattr(ctx.config, "percent_tolerance", 0.005))
    wrong = set(failing_rows(serapan_schema(tolerance), checked)["KX302"])
    amounts = {}  # row -> (plafon, realisasi) the % is judged against
    # a parent row printing its % without its own amounts: Σ of the rows under it
    own = (checked["plafon"].notna() & checked["realisasi"].notna()).to_numpy(dtype=bool)
    if not own.all() and (~own & checked["serapan"].notna().to_numpy(dtype=bool)).any():
        rolled_frame = _rolled_frame(table, a, _headings(frame, a.money))
        rolled_wrong = set(failing_rows(rolled_serapan_schema(tolerance), rolled_frame)["KX302"])
        if rolled_wrong:
            rolled = rolled_up(rolled_frame)
            for r in rolled_wrong:
                amounts[r] = (int(rolled.at[r, "plafon"]), int(rolled.at[r, "realisasi"]))
            wrong |= rolled_wrong
    if not wrong:
        return
    for r, expected, v in serapan_values(table, ctx.config):
        if r in wrong:
            amounts.setdefault(r, (_int(a.effective.at[r, "plafon"]), _int(a.effective.at[r, "realisasi"])))
    printed = {int(r): float(v) for r, v in frame["serapan"].dropna().items()}
    for r in sorted(wrong):
        if r not in amounts or r not in printed:
            continue
        p, x = amounts[r]
        expected = float(decimal.Decimal(x) / decimal.Decimal(p) * 100)
        v = printed[r]
        dp = None if dps is None or _isna(dps[r]) else int(dps[r])
        _, shown, d = _percent_reading(v, dp, expected, ctx.config)
        message = None
        below = _rows_below(r, a.kids, printed)
        if len(below) > 1:
            readings = [_percent_reading(pv, None if dps is None or _isna(dps.get(c)) else int(dps.get(c)), shown,
                                         ctx.config)[1] for c, pv in below]
            if abs(sum(readings) / len(readings) - shown) <= _tolerance(d, ctx.config):
                message = _MEAN_MESSAGE
        yield ctx.finding(table, "serapan", r, expected=Percent(round(expected, max(d, 2)), max(d, 2)),
                          actual=Percent(shown, d), difference=Percent(round(shown - expected, max(d, 2)), max(d, 2)),
                          message=message, realisasi=rupiah(x), plafon=rupiah(p))


def _rows_below(r: int, kids: dict, printed: dict) -> list[tuple[int, float]]:
    """(row, printed %) of the nearest rows under ``r`` that print one (under a kegiatan line
    without any: its sub kegiatan)."""
    out: list[tuple[int, float]] = []
    for c in kids.get(r, []):
        if c in printed:
            out.append((c, printed[c]))
        else:
            out.extend(_rows_below(c, kids, printed))
    return out


@rule("KX304", "realisasi-exceeds-plafon", tables="realisasi", severity="warning", message=(
    "Realisasi {actual} melebihi plafon {expected} (selisih {difference})",
    "Realisation {actual} exceeds the budget {expected} (difference {difference})"))
def realisasi_exceeds_plafon(table, ctx):
    """Realisasi above plafon: spending beyond the budget (a warning: it needs an explanation).

    Reported on the deepest row that overspends, not again on each parent above it.

    *Salah:* plafon 1.800.000, realisasi 1.950.000 (sisa −150.000).
    *Benar:* plafon 1.800.000, realisasi 1.800.000, sisa ``-``.
    """
    if not table.has("plafon") or not table.has("realisasi"):
        return
    a = analysis_for(table)
    eff = a.effective
    # a negative plafon is KX305's finding; any realisasi "exceeds" it (pandera's kx_not_above)
    over = set(a.failed.get("KX304", []))
    for r in sorted(over):
        if any(c in over for c in a.kids.get(r, [])):
            continue  # its sub kegiatan (or rincian) that overspends carries the warning
        p, x = _int(eff.at[r, "plafon"]), _int(eff.at[r, "realisasi"])
        yield ctx.finding(table, "realisasi", int(r), expected=rupiah(p), actual=rupiah(x), difference=rupiah(x - p))


@rule("KX305", "negative-amount", tables=("realisasi", "refocusing"), message=(
    "Nilai negatif {actual} di kolom {kolom_id}",
    "Negative amount {actual} in the {kolom_en} column"))
def negative_amount(table, ctx):
    """Plafon, pagu and realisasi amounts are never negative.

    A negative sisa is left to KX304 (realisasi above plafon) and a negative
    pengurangan to KX502.

    *Salah:* plafon ``(1.500.000)``. *Benar:* plafon 1.500.000.
    """
    failed = analysis_for(table).failed
    for key in _money_keys(table):
        col = table.frame[key]
        for r in failed.get(f"KX305:{key}", []):
            yield ctx.finding(table, key, int(r), actual=rupiah(col[r]), kolom_id=column_label(key),
                              kolom_en=column_label(key, "en"))


_PLURAL_EN = {"program": "programmes", "kegiatan": "activities", "sub_kegiatan": "sub-activities",
              "rincian": "detail lines"}
_CULPRIT_NOTE = (", sedangkan baris induknya cocok dengan {expected}", ", while its parent row agrees with {expected}")
_SUSPECT_NOTE = ("; baris ini cocok dengan induknya, jadi periksa {anak_id} di bawahnya",
                 "; this row agrees with its parent, so check the {anak_en} below it")


def _sum_finding(table, ctx, f: SumFailure, levels: dict):
    child_levels = {levels.get(c) for c in f.children}
    child = child_levels.pop() if len(child_levels) == 1 else None
    anak_id = LEVEL_LABEL["id"].get(child, "baris") if child else "baris"
    anak_en = _PLURAL_EN.get(child, "rows") if child else "rows"
    message = None
    note = _CULPRIT_NOTE if f.culprit else (_SUSPECT_NOTE if f.children_suspect else None)
    if note:  # say which cell is more likely the one to fix
        mid, men = ctx.rule.message_id, ctx.rule.message_en
        message = (mid + note[0], men + note[1]) if note is _SUSPECT_NOTE else (
            mid.replace(" (selisih", note[0] + " (selisih"), men.replace(" (difference", note[1] + " (difference"))
    return ctx.finding(table, f.key, f.row, expected=rupiah(f.expected), actual=rupiah(f.actual), message=message,
                       difference=rupiah(f.actual - f.expected), related=tuple(table.cell(f.key, c) for c in f.children[:50]),
                       kolom_id=_cap(column_label(f.key)), kolom_en=_cap(column_label(f.key, "en")), n=len(f.children),
                       anak_id=anak_id, anak_en=anak_en)


@rule("KX401", "parent-sum", tables=("realisasi", "refocusing"), message=(
    "{kolom_id} {actual} ≠ jumlah {n} {anak_id} di bawahnya {expected} (selisih {difference})",
    "{kolom_en} {actual} ≠ sum of the {n} {anak_en} below it {expected} (difference {difference})"))
def parent_sum(table, ctx):
    """A program, kegiatan or sub kegiatan row is the sum of its direct children, per amount column.

    Rincian lines sum to their sub kegiatan only when there are any. A child
    cell that breaks its own row identity (KX301) is reported there and
    counted here at its mended value, so one wrong sisa does not also make
    its correct parent look wrong. Checked bottom-up: a row off from its
    children by the amount its own parent is off the other way is itself the
    slip (reported once, with a note); a row that agrees with its parent
    points at its children. A sisa mismatch that follows from a plafon or
    realisasi mismatch on the same row is not reported twice.

    *Salah:* kegiatan I plafon 3.400.000 over sub kegiatan 2.620.000 and 772.000.
    *Benar:* kegiatan I plafon 3.392.000 (= 2.620.000 + 772.000).
    """
    a = analysis_for(table)
    for f in a.sums:
        if not f.total:
            yield _sum_finding(table, ctx, f, a.levels)


@rule("KX402", "total-row", tables="realisasi", message=(
    "{kolom_id} baris jumlah {actual} ≠ jumlah {n} {anak_id} {expected} (selisih {difference})",
    "{kolom_en} of the total row {actual} ≠ sum of the {n} {anak_en} {expected} (difference {difference})"))
def total_row(table, ctx):
    """The TOTAL / JUMLAH row is the sum of the top-level rows (the programs), per amount column.

    A TOTAL above the data sums every program; a JUMLAH below sums those
    above it, and a JUMLAH after an earlier one only its own block.

    *Salah:* TOTAL plafon 6.255.403.000 over programs summing to 6.255.403.861.
    *Benar:* TOTAL plafon 6.255.403.861.
    """
    a = analysis_for(table)
    for f in a.sums:
        if f.total:
            yield _sum_finding(table, ctx, f, a.levels)


_PLACE_MESSAGES = {
    "unknown-no": (
        "Baris dengan NO '{no}' tidak dapat ditempatkan (bukan huruf program, angka Romawi kegiatan, atau nomor sub kegiatan); jumlah di atasnya tidak diperiksa",
        "The row numbered '{no}' cannot be placed (not a programme letter, activity numeral or sub-activity number); the sums above it are not checked"),
    "no-parent": (
        "Baris {level_id} ini tidak punya induk di atasnya; jumlah di atasnya tidak diperiksa",
        "This {level_en} has no parent row above it; the sums above it are not checked"),
    "conflict": (
        "NO '{no}' menunjukkan {no_level_id}, tetapi kode '{kode}' menunjukkan {kode_level_id}; baris ditempatkan menurut kode",
        "NO '{no}' marks a {no_level_en} but kode '{kode}' marks a {kode_level_en}; the row is placed by its kode"),
}


@rule("KX403", "row-not-placed", tables=("realisasi", "refocusing"), severity="warning", message=_PLACE_MESSAGES["unknown-no"])
def row_not_placed(table, ctx):
    """A row whose place in the program / kegiatan / sub kegiatan tree cannot be inferred.

    The NO column (A, I, 1, blank) and the kode carry the hierarchy. A row
    numbered otherwise, a rincian line with no sub kegiatan above it, or a
    row whose NO and kode disagree is reported here, and the sums it might
    belong to are not judged.

    *Salah:* NO ``1a`` between sub kegiatan 1 and 2.
    *Benar:* NO blank (a rincian line of sub kegiatan 1) or ``2``.
    """
    h = analysis_for(table).hierarchy
    frame = table.frame
    blame_key = "no" if table.has("no") else ("kode" if table.has("kode") else "uraian")
    doubtful = h["problem"].notna().to_numpy(dtype=bool)  # a few rows: not a pandas step per row of the sheet
    for r, problem in zip(h.index[doubtful].tolist(), h["problem"][doubtful].tolist()):
        lv, nl, kl = h.at[r, "level"], h.at[r, "no_level"], h.at[r, "kode_level"]
        yield ctx.finding(
            table, blame_key, int(r), message=_PLACE_MESSAGES[problem],
            no=frame.at[r, "no"] if "no" in frame.columns else "", kode=frame.at[r, "kode"] if "kode" in frame.columns else "",
            level_id=LEVEL_LABEL["id"].get(lv, "?"), level_en=LEVEL_LABEL["en"].get(lv, "?"),
            no_level_id=LEVEL_LABEL["id"].get(nl, "?"), no_level_en=LEVEL_LABEL["en"].get(nl, "?"),
            kode_level_id=LEVEL_LABEL["id"].get(kl, "?"), kode_level_en=LEVEL_LABEL["en"].get(kl, "?"),
        )

