"""Rules that compare tables with each other (the auditors' checks).

Every finding here names two places: ``cell`` is the cell blamed, ``related``
the cell(s) of the other table it disagrees with.

- KX801 plafon of a sub kegiatan (realisasi table) = its pagu refokusing;
- KX802 PK program budget = Σ pagu awal of its sub kegiatan (program → sub
  kegiatan through the realisasi table's hierarchy, sub kegiatan → pagu
  through the refocusing table);
- KX803 / KX804 one indicator, one year: the same target / realisasi in the
  IKU, comparison and Renstra tables;
- KX805 the PK target of an indicator differs from the other tables (a
  warning: a PK can be revised);
- KX809 a row that could not be matched in the other table.

Rows are matched by kode where both tables have one, else by normalised name
(``names``). The value most tables agree on is taken as right; the cells that
differ from it are blamed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rule, rules_in
from kinerja_xl.tables import rupiah
from kinerja_validators import names
from kinerja_validators._memo import once_per_table
from kinerja_validators.iku import present
from kinerja_validators.perbandingan import cell_ref, iku_year, indicator, years
from kinerja_xl.i18n import N_

_KIND_LABEL = {
    "iku": N_("Capaian IKU"),
    "perbandingan": N_("Perbandingan"),
    "renstra": N_("Renstra"),
    "pk": N_("Perjanjian Kinerja"),
    "pk_program": N_("Perjanjian Kinerja"),
    "realisasi": N_("Realisasi"),
    "refocusing": N_("Refocusing"),
}
INDICATOR_KINDS = ("iku", "perbandingan", "renstra")


def _kode(v: Any) -> str | None:
    """Kode without stray punctuation or spaces ('7.01.06.2.01.02.' -> '7.01.06.2.01.02')."""
    if not isinstance(v, str):
        return None
    k = re.sub(r"\s+", "", v).strip(".,;")
    return k or None


def _text(table, key: str, row: int) -> str | None:
    if not table.has(key):
        return None
    v = table.value(key, row)
    return v.strip() if isinstance(v, str) and v.strip() else None


def pair_rows(left, left_rows: list[int], right, right_rows: list[int], name_key_left: str, name_key_right: str):
    """Pair rows of two tables: by kode where both have one, then by name. -> (pairs, unmatched_left, unmatched_right)."""
    pairs: dict[int, int] = {}
    right_by_kode: dict[str, int] = {}
    for r in right_rows:
        k = _kode(_text(right, "kode", r))
        if k and k not in right_by_kode:
            right_by_kode[k] = r
    used: set[int] = set()
    for r in left_rows:
        k = _kode(_text(left, "kode", r))
        if k and k in right_by_kode and right_by_kode[k] not in used:
            pairs[r] = right_by_kode[k]
            used.add(right_by_kode[k])
    rest_left = [r for r in left_rows if r not in pairs]
    rest_right = [r for r in right_rows if r not in used]
    matched, un_left, un_right = names.match([_text(left, name_key_left, r) for r in rest_left],
                                             [_text(right, name_key_right, r) for r in rest_right])
    for i, j in matched.items():
        pairs[rest_left[i]] = rest_right[j]
    return pairs, [rest_left[i] for i in un_left], [rest_right[j] for j in un_right]


def _tree(table) -> tuple[dict[int, Any], dict[int, list[int]]]:
    """({row: level}, {parent row: its child rows}) of a realisasi table's hierarchy, once per table."""
    def build(t):
        from kinerja_validators.realisasi.hierarchy import tree

        # read from the row tree's lists, not ``hierarchy(t)``: that frame (~0,3 ms) was built only to be
        # turned back into these two lists
        tr = tree(t)
        rows = tr.index.tolist()
        kids: dict[int, list[int]] = {}
        # children by their parent, in sheet order (``realisasi.children`` also gives the total rows
        # the top-level rows, which no walk down from a program reaches; its numpy grouping pays off on
        # large tables, not on a report's few dozen rows)
        for r, parent in zip(rows, tr.parent_rows().tolist()):
            if parent >= 0:  # −1: a top-level or total row
                kids.setdefault(parent, []).append(r)
        return dict(zip(rows, tr.level)), kids

    return once_per_table(table, "_kinerja_cross_tree", build)


def _rows_at(table, level: str) -> list[int]:
    return [int(r) for r, lv in _tree(table)[0].items() if lv == level]


def _refocusing_rows(table) -> list[int]:
    """The refocusing table's rows that name a sub kegiatan (not its totals), once per table."""
    def build(t) -> list[int]:
        from kinerja_validators.realisasi import is_total_row

        out = []
        for r in t.frame.index.tolist():
            if is_total_row(_text(t, "no", r), _text(t, "kode", r), _text(t, "uraian", r)):
                continue
            if _text(t, "uraian", r) or _text(t, "kode", r):
                out.append(int(r))
        return out

    return once_per_table(table, "_kinerja_refocusing_rows", build)


def _descendants(table, parent: int, level: str) -> list[int]:
    levels, kids = _tree(table)
    out, stack = [], [parent]
    while stack:
        for c in kids.get(stack.pop(), []):
            if levels[c] == level:
                out.append(c)
            else:
                stack.append(c)
    return sorted(out)


def _unmatched(ctx, table, key: str, row: int, other, severity: str = "warning"):
    label = _KIND_LABEL.get(other.kind, other.kind)
    return ctx.finding(
        table, key, row, severity=severity, other=f"{label} ('{other.sheet}')", tabel=label, sheet_lain=other.sheet,
        message=N_("Baris ini tidak dapat dicocokkan dengan baris mana pun di tabel {tabel} ('{sheet_lain}'); "
                   "periksa kode atau namanya"),
    )


# --------------------------------------------------------------------------- budgets


def _sub_kegiatan_pairs(ctx, real, ref):
    """(pairs, unmatched realisasi rows, unmatched refocusing rows) of the sub kegiatan of two tables,
    paired once per run (KX801, KX802 and KX809 each ask)."""
    key = ("cross.sub_kegiatan", id(real), id(ref))
    if key not in ctx.shared:
        ctx.shared[key] = pair_rows(real, _rows_at(real, "sub_kegiatan"), ref, _refocusing_rows(ref), "uraian", "uraian")
    return ctx.shared[key]


def _program_pairs(ctx, pk, real):
    """(pairs, unmatched PK programs, unmatched realisasi programs), once per run (KX802, KX809)."""
    from kinerja_validators.pk import program_rows

    key = ("cross.programs", id(pk), id(real))
    if key not in ctx.shared:
        ctx.shared[key] = pair_rows(pk, program_rows(pk), real, _rows_at(real, "program"), "program", "uraian")
    return ctx.shared[key]


@rule(
    "KX801", "plafon-matches-refocused-pagu", aliases=("plafon-sama-pagu-refokusing",),
    tables=("realisasi", "refocusing"),
    scope="workbook",
    message=N_("Plafon sub kegiatan {actual} ≠ pagu refokusing {expected} di {lain} (selisih {difference})"),
)
def check_plafon_refokusing(ctx):
    """The plafon of each sub kegiatan in the realisasi table = its pagu refokusing.

    Sub kegiatan are matched by kode, else by name. A sub kegiatan found in
    only one of the two tables is reported as KX809.

    *Salah:* Refocusing: Penyediaan Bahan Logistik Kantor, pagu refokusing
    31.257.590; Realisasi: plafon 31.527.590.

    *Benar:* both 31.257.590.
    """
    ref = ctx.tables["refocusing"][0]
    for real in ctx.tables["realisasi"]:
        pairs, _, _ = _sub_kegiatan_pairs(ctx, real, ref)
        for r, rr in pairs.items():
            plafon, pagu = real.value("plafon", r), ref.value("refokusing", rr)
            if present(plafon) and present(pagu) and int(plafon) != int(pagu):
                where = cell_ref(ref, "refokusing", rr)
                yield ctx.finding(real, "plafon", r, expected=rupiah(pagu), actual=rupiah(plafon),
                                  difference=rupiah(int(plafon) - int(pagu)), related=(where,), lain=where)


@rule(
    "KX802", "pk-budget-matches-initial-pagu", aliases=("pk-anggaran-sama-pagu-awal",),
    tables=("pk_program", "realisasi", "refocusing"),
    scope="workbook",
    message=N_("Anggaran program di PK {actual} ≠ Σ pagu awal sub kegiatannya {expected} (selisih {difference})"),
)
def check_pk_program_pagu(ctx):
    """A program's budget in the Perjanjian Kinerja = Σ pagu awal of its sub kegiatan.

    The program's sub kegiatan come from the realisasi table's hierarchy
    (program → kegiatan → sub kegiatan), their pagu awal from the refocusing
    table (the PK is signed before refocusing). Programs are matched by name
    ('Program Penyelenggaraan Pemerintahan Umum' finds 'PROGRAM
    PENYELENGGARAAN URUSAN PEMERINTAHAN UMUM').

    *Salah:* PK: Program Penunjang … Rp. 6.183.035.351; Σ pagu awal of its
    16 sub kegiatan 6.263.525.069.

    *Benar:* PK: Program Penunjang … Rp. 6.263.525.069.
    """
    real, ref = ctx.tables["realisasi"][0], ctx.tables["refocusing"][0]
    sub_pairs, _, _ = _sub_kegiatan_pairs(ctx, real, ref)
    for pk in ctx.tables["pk_program"]:
        pairs, _, _ = _program_pairs(ctx, pk, real)
        for r, prog in pairs.items():
            printed = pk.value("anggaran", r)
            subs = _descendants(real, prog, "sub_kegiatan")
            if not present(printed) or not subs or any(s not in sub_pairs for s in subs):
                continue  # a sub kegiatan without its pagu: KX809 already says which
            cells = [sub_pairs[s] for s in subs]
            if not all(present(ref.value("awal", c)) for c in cells):
                continue
            total = sum(int(ref.value("awal", c)) for c in cells)
            if int(printed) != total:
                related = tuple(cell_ref(ref, "awal", c) for c in cells)
                yield ctx.finding(pk, "anggaran", r, expected=rupiah(total), actual=rupiah(printed),
                                  difference=rupiah(int(printed) - total), related=related,
                                  sub_kegiatan=len(cells), program=_text(real, "uraian", prog))


@rule(
    "KX809", "row-unmatched", aliases=("baris-tidak-cocok",),
    tables=("realisasi", "refocusing"),
    scope="workbook",
    severity="warning",
    message=N_("Baris ini tidak dapat dicocokkan dengan tabel {other}"),
)
def check_unmatched_sub_kegiatan(ctx):
    """A row that the cross-table checks could not match in the other table.

    Sub kegiatan are matched between the realisasi and refocusing tables (by
    kode, else by name), PK programs with the realisasi programs, indicators
    between the IKU, comparison, Renstra and PK tables. A row left unmatched
    is not checked against the other table, so it is reported rather than
    skipped: usually a typo in the name or kode, or a row missing from one
    table.

    *Salah:* Refocusing: "Penyediaan Jasa Pelayanan Umum Kantor"; no such sub
    kegiatan in the realisasi table.

    *Benar:* the sub kegiatan appears in both tables under the same kode or name.
    """
    ref = ctx.tables["refocusing"][0]
    for real in ctx.tables["realisasi"]:
        _, un_real, un_ref = _sub_kegiatan_pairs(ctx, real, ref)
        for r in un_real:
            yield _unmatched(ctx, real, "uraian", r, ref)
        if real is not ctx.tables["realisasi"][0]:
            continue
        for r in un_ref:
            yield _unmatched(ctx, ref, "uraian" if ref.has("uraian") else "kode", r, real)
        for pk in ctx.tables.get("pk_program", []):
            _, un_pk, un_programs = _program_pairs(ctx, pk, real)
            for r in un_pk:
                yield _unmatched(ctx, pk, "program", r, real)
            for r in un_programs:  # a program spent without being in the PK
                yield _unmatched(ctx, real, "uraian", r, pk)


# --------------------------------------------------------------------------- indicators


@dataclass(eq=False)  # identity: tables hold frames
class Fact:
    table: Any
    row: int
    key: str
    value: float
    dp: int | None

    @property
    def where(self) -> str:
        return cell_ref(self.table, self.key, self.row)


@dataclass(eq=False)
class Indicator:
    names: list[str]
    facts: dict[tuple[str, str], list[Fact]] = field(default_factory=dict)  # (measure, year) -> facts
    tables: list[Any] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # beside ``tables``: the row of each


def _dp(table, key: str, row: int) -> int | None:
    from kinerja_validators.iku import decimals

    return decimals(table, key, row)


def _year_of(table, fallback: str | None) -> str | None:
    return iku_year(table) or fallback


def _table_facts(table, row: int, current_year: str | None) -> Iterator[tuple[str, str, Fact]]:
    """(measure, year, fact) of one row."""
    if table.kind in ("iku", "pk"):
        year = _year_of(table, current_year)
        if year is None:
            return
        for measure in ("target", "realisasi"):
            if table.has(measure) and present(table.value(measure, row)):
                yield measure, year, Fact(table, row, measure, float(table.value(measure, row)), _dp(table, measure, row))
        return
    for measure in ("target", "realisasi"):
        for year in years(table, measure):
            key = f"{measure}_{year}"
            if present(table.value(key, row)):
                yield measure, year, Fact(table, row, key, float(table.value(key, row)), _dp(table, key, row))


def _current_year(tables: dict[str, list]) -> str | None:
    """The report year: the IKU's target year, else the latest year of the comparison table."""
    for t in tables.get("iku", []) + tables.get("pk", []):
        y = iku_year(t)
        if y:
            return y
    ys = [y for kind in ("perbandingan",) for t in tables.get(kind, []) for y in years(t, "realisasi")]
    return max(ys) if ys else None


def _same(a: Fact, b: Fact, config: Any) -> bool:
    """Equal at half a unit of the coarser printed precision (a percent typed as a fraction also agrees)."""
    dps = [d if d is not None else 2 for d in (a.dp, b.dp)]
    tol = 0.5 * 10 ** (-min(dps)) + 1e-9
    if abs(a.value - b.value) <= tol:
        return True
    for x, y in ((a, b), (b, a)):
        if x.dp is None and abs(x.value) <= 1.5 and abs(x.value * 100 - y.value) <= tol:
            return True
    return False


def grouped(ctx, kinds: tuple[str, ...] = INDICATOR_KINDS) -> tuple[list[Indicator], list[tuple[Any, int]]]:
    """``indicators(ctx.tables, kinds)``, worked out once per run of the rules (KX803–KX806 each
    ask); read it, do not modify it. A grouping of more kinds goes on from a copy of one already made
    of its first kinds (KX805 and KX806 add the PK to the grouping KX803 and KX804 made)."""
    key = ("cross.indicators", kinds)
    if key not in ctx.shared:
        start, done = None, ()
        for n in range(len(kinds) - 1, 0, -1):
            if ("cross.indicators", kinds[:n]) in ctx.shared:
                start, done = ctx.shared[("cross.indicators", kinds[:n])], kinds[:n]
                break
        ctx.shared[key] = indicators(ctx.tables, kinds[len(done):], start=start)
    return ctx.shared[key]


def indicators(tables: dict[str, list], kinds: tuple[str, ...] = INDICATOR_KINDS,
               start: tuple[list[Indicator], list[tuple[Any, int]]] | None = None
               ) -> tuple[list[Indicator], list[tuple[Any, int]]]:
    """Group the rows of the indicator tables by indicator. -> (indicators, rows that matched nothing).

    ``start``: a grouping of the kinds before ``kinds`` to go on from (it is copied, not changed).
    """
    year = _current_year(tables)
    groups: list[Indicator] = [] if start is None else [_copy(g) for g in start[0]]
    lonely: list[tuple[Any, int]] = [] if start is None else list(start[1])
    for kind in kinds:
        for t in tables.get(kind, []):
            if not t.has("indikator"):
                continue
            rows = [int(r) for r in t.frame.index if indicator(t, r)]
            known = len(groups)
            pairs, unmatched, _ = _match_groups(t, rows, groups[:known])
            for i, g in pairs.items():
                _add(groups[g], t, rows[i], year)
            for i in unmatched:
                if kind == "pk":
                    lonely.append((t, rows[i]))
                    continue
                g = Indicator(names=[])
                groups.append(g)
                _add(g, t, rows[i], year)
    return groups, lonely


def _copy(g: Indicator) -> Indicator:
    return Indicator(names=list(g.names), facts={k: list(v) for k, v in g.facts.items()}, tables=list(g.tables),
                     rows=list(g.rows))


@functools.lru_cache(maxsize=16384)
def _similarity(a: str | None, b: str | None) -> float:
    """``names.similarity``, remembered per pair of names: every row of a table is scored against every
    indicator's names, and the same reports come back quarter after quarter."""
    return names.similarity(a, b)


def _match_groups(table, rows: list[int], groups: list[Indicator]):
    """One-to-one: each row to the indicator whose names it is most like."""
    scored = []
    for i, r in enumerate(rows):
        name = indicator(table, r)
        for g, grp in enumerate(groups):
            if any(t is table for t in grp.tables):
                continue  # the same indicator twice in one table would be a second indicator
            s = max((_similarity(name, n) for n in grp.names), default=0.0)
            if s >= names.DEFAULT_THRESHOLD:
                scored.append((-s, i, g))
    return names.best_first(scored, len(rows), len(groups))


def _add(group: Indicator, table, row: int, year: str | None) -> None:
    group.names.append(indicator(table, row))
    group.tables.append(table)
    group.rows.append(row)
    for measure, y, fact in _table_facts(table, row, year):
        group.facts.setdefault((measure, y), []).append(fact)


def _consensus(facts: list[Fact], config: Any) -> list[Fact]:
    """The facts agreeing with the value most tables print (ties: the earliest table)."""
    best: list[Fact] = []
    for f in facts:
        agree = [g for g in facts if _same(f, g, config)]
        if len(agree) > len(best):
            best = agree
    return best


def _indicator_findings(ctx, measure: str) -> Iterator:
    groups, _ = grouped(ctx)
    for g in groups:
        for (m, year), facts in g.facts.items():
            if m != measure or len(facts) < 2:
                continue
            agree = _consensus(facts, ctx.config)
            reference = agree[0]
            for f in facts:
                if f in agree:
                    continue
                yield ctx.finding(
                    f.table, f.key, f.row,
                    expected=reference.value,
                    actual=f.value, difference=f.value - reference.value,
                    related=tuple(x.where for x in agree), year=year, lain=reference.where,
                    tabel=_KIND_LABEL[reference.table.kind],
                    n=len(agree),
                )


@rule(
    "KX803", "indicator-target-differs", aliases=("target-indikator-beda",),
    tables=(),
    scope="workbook",
    message=N_("Target {year} indikator ini {actual} di sini, tetapi {expected} di {lain} (tabel {tabel})"),
)
def check_indicator_targets(ctx):
    """One indicator, one year, one target: the IKU, comparison and Renstra tables agree.

    Indicators are matched by normalised name (capitals, punctuation,
    Prosentase/Presentase/Persentase, a missing word). The value most tables
    print is taken as right and the others are blamed; the finding names the
    cells it disagrees with. The IKU table's year is the one in its TARGET
    header ("Target Tahun 2021").

    *Salah:* IKU: "Presentase hasil fasilitasi …" target 2021 90%;
    Perbandingan and Renstra: 85%.

    *Benar:* 85% in all three (or 90% in all three).
    """
    yield from _indicator_findings(ctx, "target")


@rule(
    "KX804", "indicator-realisasi-differs", aliases=("realisasi-indikator-beda",),
    tables=(),
    scope="workbook",
    message=N_("Realisasi {year} indikator ini {actual} di sini, tetapi {expected} di {lain} (tabel {tabel})"),
)
def check_indicator_realisasi(ctx):
    """One indicator, one year, one realisasi: the IKU, comparison and Renstra tables agree.

    Matched like KX803; the value most tables print is taken as right.

    *Salah:* Perbandingan: Nilai IKM Kecamatan 2020 realisasi 87,01;
    Renstra: 87,10.

    *Benar:* 87,01 in both.
    """
    yield from _indicator_findings(ctx, "realisasi")


@rule(
    "KX805", "pk-target-differs", aliases=("target-pk-beda",),
    tables=("pk",),
    scope="workbook",
    severity="warning",
    message=N_("Target PK {actual} berbeda dengan target {year} {expected} di {lain} (tabel {tabel}); "
             "bila PK direvisi, pakai target revisinya"),
)
def check_pk_targets(ctx):
    """An indicator's target in the Perjanjian Kinerja = its target in the other tables (warning).

    A PK can be revised during the year, so a difference is a warning: check
    which target the report should use. The PK's year comes from its TARGET
    header or its title ("PERJANJIAN KINERJA TAHUN 2021"), else the IKU's.

    *Salah:* PK: "Presentase hasil fasilitasi …" 79,00%; IKU, Perbandingan,
    Renstra: 85%.

    *Benar:* 85% in the PK too (or a revised PK).
    """
    groups, _ = grouped(ctx, INDICATOR_KINDS + ("pk",))
    for g in groups:
        for (measure, year), facts in g.facts.items():
            if measure != "target":
                continue
            pk_facts = [f for f in facts if f.table.kind == "pk"]  # noqa: E501
            others = [f for f in facts if f.table.kind != "pk"]
            if not pk_facts or not others:
                continue
            agree = _consensus(others, ctx.config)
            reference = agree[0]
            for f in pk_facts:
                if not _same(f, reference, ctx.config):
                    yield ctx.finding(
                        f.table, f.key, f.row, expected=reference.value, actual=f.value,
                        difference=f.value - reference.value, related=tuple(x.where for x in agree), year=year,
                        lain=reference.where, tabel=_KIND_LABEL[reference.table.kind],
                    )


@rule(
    "KX806", "indicator-unmatched", aliases=("indikator-tidak-cocok",),
    tables=(),
    scope="workbook",
    severity="info",
    message=N_("Indikator ini tidak ditemukan di tabel indikator lain ({tables}); targetnya tidak dapat dibandingkan"),
)
def check_unmatched_indicators(ctx):
    """An indicator found in only one of the IKU, comparison, Renstra and PK tables.

    It is not compared with anything, so it is listed (information): often a
    renamed indicator, or one the other tables left out.

    *Salah:* IKU: "Persentase desa …"; Perbandingan: "Persentase kelurahan …" only.

    *Benar:* the same indicator (name spelled alike) in each table.
    """
    present_kinds = [k for k in INDICATOR_KINDS + ("pk",) if ctx.tables.get(k)]
    if len(present_kinds) < 2:
        return
    groups, lonely = grouped(ctx, INDICATOR_KINDS + ("pk",))
    labels = ", ".join(_KIND_LABEL[k] for k in present_kinds)
    for g in groups:
        if len(g.tables) == 1:
            yield ctx.finding(g.tables[0], "indikator", g.rows[0], tables=labels)
    for t, row in lonely:
        yield ctx.finding(t, "indikator", row, tables=labels)


KIND = TableKind(
    name="cross",
    title=N_("Kesesuaian antartabel"),
    rules=rules_in(globals()),
    # reads the fields of other kinds' tables, which declare these codes beside their own
    checked_fields={},
)
