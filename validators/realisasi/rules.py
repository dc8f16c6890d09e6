"""The rules of the realisasi table (KX30x, KX40x), several shared with the refocusing table."""

from __future__ import annotations

import decimal
import itertools
import operator

from kinerja_xl.findings import Percent
from kinerja_xl.rules import rule
from kinerja_xl.tables import rupiah
from kinerja_validators.realisasi.analysis import (
    SISA, Difference, SumFailure, _isna, _money_keys, _percent_reading, _tolerance, analysis_for,
    column_label, column_title, serapan_values,
)
from kinerja_validators.realisasi.hierarchy import LEVEL_LABEL, LEVEL_PLURAL
from kinerja_xl.i18n import N_, NP_


# one whole sentence per identity and blamed cell (the blamed cell named first), so each translates whole
_IDENTITY_MESSAGES = {
    ('KX301', 'plafon'): N_("Plafon {actual} ≠ realisasi {subtrahend} + sisa {result} = {expected}, sebagaimana ditunjukkan baris induk/rinciannya (selisih {difference})"),
    ('KX301', 'realisasi'): N_("Realisasi {actual} ≠ plafon {minuend} − sisa {result} = {expected}, sebagaimana ditunjukkan baris induk/rinciannya (selisih {difference})"),
    ('KX301', 'sisa'): N_("Sisa {actual} ≠ plafon {minuend} − realisasi {subtrahend} = {expected} (selisih {difference})"),
    ('KX501', 'awal'): N_("Pagu awal {actual} ≠ pagu refokusing {subtrahend} + pengurangan {result} = {expected}, sebagaimana ditunjukkan baris induk/rinciannya (selisih {difference})"),
    ('KX501', 'refokusing'): N_("Pagu refokusing {actual} ≠ pagu awal {minuend} − pengurangan {result} = {expected}, sebagaimana ditunjukkan baris induk/rinciannya (selisih {difference})"),
    ('KX501', 'pengurangan'): N_("Pengurangan {actual} ≠ pagu awal {minuend} − pagu refokusing {subtrahend} = {expected} (selisih {difference})"),
}


def identity_message(diff: Difference, blamed: str) -> str:
    """The message template (msgid) for a broken ``result = minuend − subtrahend``, naming the blamed cell first."""
    return _IDENTITY_MESSAGES[(diff.code, blamed)]


def identity_findings(table, ctx, diff: Difference):
    """Findings of one row identity (KX301 sisa, KX501 pengurangan) from the shared analysis."""
    a = analysis_for(table)
    blames = sorted((rk, b) for rk, b in a.blames.items() if b.code == diff.code)
    if not blames:
        return
    cols = [diff.minuend, diff.subtrahend, diff.result]
    # the blamed rows' amounts as printed, and the realisasi this identity used (it may be the Σ of its periods,
    # KX303, not the printed JUMLAH), read in one numpy step per column rather than per cell (1.400 rows: ~3 ms)
    at = a.at.of([r for (r, _), _ in blames])
    printed = {k: [None if blank else v for v, blank in zip(a.printed[k][0][at].tolist(), a.printed[k][1][at].tolist())]
               for k in cols}
    used = a.amounts[diff.subtrahend]
    used = [None if blank else v for v, blank in zip(used[0][at].tolist(), used[1][at].tolist())]
    for j, ((r, key), b) in enumerate(blames):
        vals = {k: rupiah(printed[k][j]) for k in cols}
        if key != diff.subtrahend:
            vals[diff.subtrahend] = rupiah(used[j])
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


@rule("KX303", "period-sum", tables="realisasi", message=N_("Realisasi JUMLAH {actual} ≠ jumlah realisasi per triwulan {expected} (selisih {difference})"))
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

_MEAN_MESSAGE = N_(
    "Persentase {actual} adalah rata-rata persentase baris di bawahnya, bukan Σ realisasi / Σ plafon = {expected}"
    " (realisasi {realisasi} / plafon {plafon})")


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


@rule("KX302", "serapan-percent", tables="realisasi", message=N_("Serapan {actual} ≠ realisasi {realisasi} / plafon {plafon} = {expected}"))
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
        rolled_frame = _rolled_frame(table, a, a.amountless)
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
            amounts.setdefault(r, (a.value(r, "plafon"), a.value(r, "realisasi")))
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


@rule("KX304", "realisasi-exceeds-plafon", tables="realisasi", severity="warning", message=N_("Realisasi {actual} melebihi plafon {expected} (selisih {difference})"))
def realisasi_exceeds_plafon(table, ctx):
    """Realisasi above plafon: spending beyond the budget (a warning: it needs an explanation).

    Reported on the deepest row that overspends, not again on each parent above it.

    *Salah:* plafon 1.800.000, realisasi 1.950.000 (sisa −150.000).
    *Benar:* plafon 1.800.000, realisasi 1.800.000, sisa ``-``.
    """
    if not table.has("plafon") or not table.has("realisasi"):
        return
    a = analysis_for(table)
    # a negative plafon is KX305's finding; any realisasi "exceeds" it (pandera's kx_not_above)
    over = set(a.failed.get("KX304", []))
    above = a.parents_of(over)  # the parents of those rows, rather than the children of every row
    for r in sorted(over):
        if r in above:
            continue  # its sub kegiatan (or rincian) that overspends carries the warning
        p, x = a.value(r, "plafon"), a.value(r, "realisasi")
        yield ctx.finding(table, "realisasi", int(r), expected=rupiah(p), actual=rupiah(x), difference=rupiah(x - p))


@rule("KX305", "negative-amount", tables=("realisasi", "refocusing"), message=N_("Nilai negatif {actual} di kolom {kolom}"))
def negative_amount(table, ctx):
    """Plafon, pagu and realisasi amounts are never negative.

    A negative sisa is left to KX304 (realisasi above plafon) and a negative
    pengurangan to KX502.

    *Salah:* plafon ``(1.500.000)``. *Benar:* plafon 1.500.000.
    """
    failed = analysis_for(table).failed
    for key in _money_keys(table):
        for r in failed.get(f"KX305:{key}", []):
            yield ctx.finding(table, key, int(r), actual=rupiah(table.value(key, r)), kolom=column_label(key))


# the sum message with a note on which cell to fix: (its parent agrees: this cell; it agrees with its parent:
# a child), whole sentences per rule so that each translates whole
_SUM_NOTES = {
    'KX401': (N_("{kolom} {actual} ≠ jumlah {n} {anak} di bawahnya {expected}, sedangkan baris induknya cocok dengan {expected} (selisih {difference})"),
              N_("{kolom} {actual} ≠ jumlah {n} {anak} di bawahnya {expected} (selisih {difference}); baris ini cocok dengan induknya, jadi periksa {anak} di bawahnya")),
    'KX402': (N_("{kolom} baris jumlah {actual} ≠ jumlah {n} {anak} {expected}, sedangkan baris induknya cocok dengan {expected} (selisih {difference})"),
              N_("{kolom} baris jumlah {actual} ≠ jumlah {n} {anak} {expected} (selisih {difference}); baris ini cocok dengan induknya, jadi periksa {anak} di bawahnya")),
    'KX503': (N_("{kolom} baris JUMLAH {actual} ≠ jumlah {n} baris {expected}, sedangkan baris induknya cocok dengan {expected} (selisih {difference})"),
              N_("{kolom} baris JUMLAH {actual} ≠ jumlah {n} baris {expected} (selisih {difference}); baris ini cocok dengan induknya, jadi periksa {anak} di bawahnya")),
}


def _sum_finding(table, ctx, f: SumFailure, levels: dict):
    many = getattr(levels, "many", None)  # a _ByRow: the children's levels in one call (1.500 findings: ~2 ms)
    child_levels = set(many(f.children)) if many is not None else {levels.get(c) for c in f.children}
    child = child_levels.pop() if len(child_levels) == 1 else None
    anak = LEVEL_PLURAL.get(child, NP_("jamak", "baris")) if child else NP_("jamak", "baris")
    message = None
    if f.culprit or f.children_suspect:  # say which cell is more likely the one to fix
        message = _SUM_NOTES[ctx.rule.code][0 if f.culprit else 1]
    # the related cells by map in C, not a generator step per cell (~9.000 cells at 100.000 rows: ~1,5 ms)
    related = tuple(map(table.cell, itertools.repeat(f.key), f.children[:50]))
    return ctx.finding(table, f.key, f.row, expected=rupiah(f.expected), actual=rupiah(f.actual), message=message,
                       difference=rupiah(f.actual - f.expected), related=related,
                       kolom=column_title(f.key), n=len(f.children), anak=anak)


@rule("KX401", "parent-sum", tables=("realisasi", "refocusing"), message=N_("{kolom} {actual} ≠ jumlah {n} {anak} di bawahnya {expected} (selisih {difference})"))
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


@rule("KX402", "total-row", tables="realisasi", message=N_("{kolom} baris jumlah {actual} ≠ jumlah {n} {anak} {expected} (selisih {difference})"))
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
    "unknown-no": N_(
        "Baris dengan NO '{no}' tidak dapat ditempatkan (bukan huruf program, angka Romawi kegiatan, atau nomor sub kegiatan); jumlah di atasnya tidak diperiksa"),
    "no-parent": N_(
        "Baris {level} ini tidak punya induk di atasnya; jumlah di atasnya tidak diperiksa"),
    "conflict": N_(
        "NO '{no}' menunjukkan {no_level}, tetapi kode '{kode}' menunjukkan {kode_level}; baris ditempatkan menurut kode"),
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
    t = analysis_for(table).tree
    frame = table.frame
    blame_key = "no" if table.has("no") else ("kode" if table.has("kode") else "uraian")
    if t.problem.count(None) == len(t.problem):
        return  # nothing doubtful, the usual sheet: told by one count in C (100.000 rows: ~0,4 against ~2,5 ms)
    # a few rows of many: picked by map and compress in C rather than a Python step per row
    doubtful = list(itertools.compress(itertools.count(), map(operator.is_not, t.problem, itertools.repeat(None))))
    for i in doubtful:
        r = int(t.rows[i])
        lv, nl, kl = t.level[i], t.no_level[i], t.kode_level[i]
        yield ctx.finding(
            table, blame_key, r, message=_PLACE_MESSAGES[t.problem[i]],
            no=frame.at[r, "no"] if "no" in frame.columns else "", kode=frame.at[r, "kode"] if "kode" in frame.columns else "",
            level=LEVEL_LABEL.get(lv, "?"), no_level=LEVEL_LABEL.get(nl, "?"), kode_level=LEVEL_LABEL.get(kl, "?"),
        )
