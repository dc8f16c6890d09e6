"""pandera backends side by side on the realisasi identity checks of the 100.000-row benchmark table.

    python bench/pandera_backends.py                 # 100.000 rows, best of 5
    python bench/pandera_backends.py --rows 10000 --repeat 3

The table is the generated realisasi sheet of ``read_validate.py`` (≈3.000
wrong cells), located and read as ``kinerja-xl validate`` does. Two checks
(one per column for the sums, so that every method reports the same pairs):
sisa = plafon − realisasi on the printed amounts, and parent = Σ children /
TOTAL = Σ programs per amount column on the row tree.
Columns:

- ``direct``: the check functions called on the frame, no pandera (the floor);
- ``pandas, failure cases``: ``schema.validate(frame, lazy=True)``, failing rows
  read from ``SchemaErrors.failure_cases["index"]``;
- ``pandas, check output``: the same with ``n_failure_cases=1``, failing rows
  read from each ``SchemaError.check_output`` (what the rules do);
- ``polars``: ``pandera.polars`` with the same checks as polars expressions,
  converting the frame first (the conversion is counted; importing polars is
  printed apart). Skipped when polars is not installed (it is no dependency).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best  # noqa: E402




def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    import numpy as np
    import pandas as pd
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

    from _gen import cached_realisasi
    from kinerja_validators._pandera import failing_rows, na_passes
    from kinerja_validators.realisasi import schema
    from kinerja_validators.realisasi.hierarchy import hierarchy
    from kinerja_xl.runner import validate_file

    gen = cached_realisasi(args.rows)
    table = next(t for t in validate_file(gen.path).tables if t.kind == "realisasi")
    money = ["plafon", "realisasi", "sisa"]
    rows_frame = table.frame[money]
    h = hierarchy(table)
    tree = pd.concat([rows_frame, pd.DataFrame({"parent": h["parent"], "level": h["level"],
                                                "covers_from": h["covers_from"], "counted": True},
                                               index=rows_frame.index)], axis=1)

    def sisa(d):
        return schema.difference(d, minuend="plafon", subtrahend="realisasi", result="sisa")

    def direct():
        out = {"sisa-identity": _false_rows(na_passes(sisa(rows_frame), rows_frame.index))}
        for k in money:
            out[f"sum:{k}"] = _false_rows(pd.Series(schema.sums_of(tree, k), index=tree.index))
        return out

    def pandas_schemas(n):
        row = pa.DataFrameSchema(checks=[pa.Check(lambda d: na_passes(sisa(d), d.index), error="sisa-identity",
                                                  n_failure_cases=n, ignore_na=False)])
        tree_schema = pa.DataFrameSchema(checks=[
            pa.Check(lambda d, k=k: pd.Series(schema.sums_of(d, k), index=d.index), error=f"sum:{k}", n_failure_cases=n,
                     ignore_na=False) for k in money])
        return row, tree_schema

    full_rows, full_tree = pandas_schemas(None)
    capped_rows, capped_tree = pandas_schemas(1)

    def via_failure_cases():
        out = {}
        for s, frame in ((full_rows, rows_frame), (full_tree, tree)):
            try:
                s.validate(frame, lazy=True, inplace=True)
            except SchemaErrors as exc:
                fc = exc.failure_cases
                for name, group in fc.groupby("check"):
                    out[name] = sorted({int(i) for i in group["index"].dropna()})
        return out

    def via_check_output():
        out = failing_rows(capped_rows, rows_frame)
        out.update(failing_rows(capped_tree, tree))
        return out

    results = []
    t_direct, expected = best(direct, args.repeat)
    results.append(("direct (no pandera)", t_direct, expected))
    results.append(("pandas, failure cases", *best(via_failure_cases, args.repeat)))
    results.append(("pandas, check output (chosen)", *best(via_check_output, args.repeat)))

    polars_note = ""
    try:
        t0 = time.perf_counter()
        import pandera.polars as pap
        import polars as pl

        polars_note = f"importing polars + pandera.polars: {time.perf_counter() - t0:.2f} s wall"
        results.append(("polars (incl. conversion)", *best(lambda: _polars(tree, money, pl, pap), args.repeat)))
    except ImportError:
        polars_note = "polars not installed: `pip install polars` to compare"

    n_bad = sum(len(v) for v in expected.values())
    print(f"# {args.rows:,} rows, {n_bad} failing (row, check) pairs; CPU time, best of {args.repeat}")
    print("| method | CPU | same rows as direct |")
    print("|---|---|---|")
    for name, t, out in results:
        print(f"| {name} | {t * 1000:.0f} ms | {'yes' if out == expected else 'NO'} |")
    print(polars_note)


def _false_rows(series) -> list[int]:
    return [int(r) for r in series.index[~series.to_numpy(dtype=bool)]]


def _polars(tree, money, pl, pap):
    import numpy as np
    from pandera.errors import SchemaErrors

    cols = {"row": tree.index.to_numpy(dtype=np.int64)}
    nulls = {}
    for k in (*money, "parent"):
        cols[k] = tree[k].to_numpy(dtype=np.int64, na_value=0)
        nulls[k] = tree[k].isna().to_numpy(dtype=bool)
    frame = pl.DataFrame(cols).with_columns(
        [pl.when(pl.Series(nulls[k])).then(None).otherwise(pl.col(k)).alias(k) for k in nulls]
        + [pl.Series("level", tree["level"].astype(object).where(tree["level"].notna(), None).tolist(), dtype=pl.Utf8)])

    def sisa(data):
        return data.lazyframe.select((pl.col("sisa") == pl.col("plafon") - pl.col("realisasi")).fill_null(True))

    def sums(key):
        def check(data):
            lf = data.lazyframe
            kids = (lf.filter(pl.col("parent").is_not_null()).group_by("parent")
                    .agg(pl.col(key).sum().alias("s"), pl.col(key).null_count().alias("u")))
            top = lf.filter(pl.col("parent").is_null() & (pl.col("level") == "program"))
            grand = top.select(pl.col(key).sum().alias("g"), pl.col(key).null_count().alias("gu"))
            joined = lf.join(kids, left_on="row", right_on="parent", how="left", maintain_order="left").join(
                grand, how="cross")
            parent_ok = pl.col("s").is_null() | (pl.col("u") > 0) | pl.col(key).is_null() | (pl.col(key) == pl.col("s"))
            total_ok = (pl.col("level") != "total") | (pl.col("gu") > 0) | pl.col(key).is_null() | (pl.col(key) == pl.col("g"))
            # failure cases name positions of the checked frame: keep its row order through the joins
            return joined.sort("row").select((parent_ok & total_ok.fill_null(True)).alias("ok"))
        return check

    schema = pap.DataFrameSchema(checks=[pap.Check(sisa, error="sisa-identity")]
                                 + [pap.Check(sums(k), error=f"sum:{k}") for k in money])
    out = {name: [] for name in ("sisa-identity", *(f"sum:{k}" for k in money))}
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        fc = exc.failure_cases
        rows = frame["row"].to_numpy()
        for name in fc["check"].unique().to_list():
            idx = fc.filter(pl.col("check") == name)["index"].drop_nulls().to_numpy()
            out[name] = sorted(int(rows[i]) for i in set(idx.tolist()))
    return out


if __name__ == "__main__":
    main()
