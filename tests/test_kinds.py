"""Table kinds as plugins: the engine finds them by entry point and imports nothing from the domain."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from kinerja_xl.i18n import N_, NP_, Message
from kinerja_xl.kinds import Computed, TableKind, compute_all, hook, kind_of, load_kinds
from kinerja_xl.rules import all_rules, get_rule

ENGINE = Path(__file__).resolve().parents[1] / "kinerja_xl"
# the CLI's `hitung` still lives in the domain package (validators/cli.py) until it moves into the CLI package
PENDING: set[str] = set()


def _domain_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        out += [n for n in names if n.split(".")[0] == "kinerja_validators"]
    return out


def test_the_engine_imports_nothing_from_the_domain_package():
    offenders = {str(p.relative_to(ENGINE)): _domain_imports(p) for p in ENGINE.rglob("*.py")}
    offenders = {p: names for p, names in offenders.items() if names and p not in PENDING}
    assert offenders == {}


# a worker's warm-up loads the installed kinds on purpose; __main__ modules run on import
LOADS_KINDS = {"audit/warm.py"}


def test_every_engine_module_imports_with_the_domain_package_blocked():
    modules = sorted(".".join(("kinerja_xl", *p.relative_to(ENGINE).with_suffix("").parts)).removesuffix(".__init__")
                     for p in ENGINE.rglob("*.py")
                     if str(p.relative_to(ENGINE)) not in PENDING | LOADS_KINDS and p.name != "__main__.py")
    code = ("import sys, importlib; sys.modules['kinerja_validators'] = None\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print(len([m for m, v in sys.modules.items() if m.startswith('kinerja_validators') and v is not None]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"


def test_the_kinds_come_from_the_entry_point_in_a_fixed_order():
    names = [k.name for k in load_kinds()]
    assert names[:8] == ["realisasi", "refocusing", "pk", "iku", "perbandingan", "renstra", "skm", "skm_responden"]
    assert {"kode", "cross", "cross_report"} <= set(names)
    assert load_kinds() is load_kinds()  # read once
    assert kind_of("pk_program").name == "pk"


def test_rules_listed_are_the_same_whatever_was_imported_before():
    code = ("import sys\n{pre}\nfrom kinerja_xl.rules import all_rules\n"
            "print(','.join(r.code for r in all_rules()))")
    listings = set()
    for pre in ("", "import kinerja_xl.audit.cross", "import kinerja_validators.realisasi"):
        out = subprocess.run([sys.executable, "-c", code.format(pre=pre)], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        listings.add(out.stdout.strip())
    assert len(listings) == 1
    codes = listings.pop().split(",")
    assert len(codes) == len(set(codes))
    assert {f"KX85{i}" for i in range(1, 9)} <= set(codes)


def test_cross_report_rules_have_their_own_scope():
    report = [r for r in all_rules() if r.scope == "report"]
    assert sorted(r.code for r in report) == [f"KX85{i}" for i in range(1, 9)]
    assert all(r.func is not None for r in report)
    assert get_rule("kx851").name == "realisasi-decreased"


def test_listing_the_rules_imports_neither_pandas_nor_pandera():
    code = ("import sys\nfrom kinerja_xl.rules import all_rules\nall_rules()\n"
            "print(sorted(m for m in ('pandas', 'pandera', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_kind_given_by_the_caller_is_all_that_is_checked(tmp_path):
    from kinerja_xl.runner import validate_file
    from kinerja_xl.rules import rule
    from kinerja_xl.tables import MONEY, TEXT, Field, TableSpec

    @rule("KX999", "harga-positive", tables="harga", message=N_("Harga {actual} negatif"))
    def harga_positive(table, ctx):
        """A price is never negative.

        Salah: harga -5. Benar: harga 5.
        """
        for r in table.frame.index[(table.frame["harga"] < 0).fillna(False)]:
            yield ctx.finding(table, "harga", int(r), actual=int(table.frame.at[r, "harga"]))

    spec = TableSpec(kind="harga", title_id="Harga",
                     fields=(Field("barang", (r"BARANG",), TEXT, required=True),
                             Field("harga", (r"HARGA",), MONEY, required=True)), min_matched=2)
    kind = TableKind("harga", "Harga", specs=(spec,), rules=(harga_positive,))
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["BARANG", "HARGA"])
    ws.append(["Kertas", 5000])
    ws.append(["Tinta", -200])
    path = tmp_path / "harga.xlsx"
    wb.save(path)
    report = validate_file(path, kinds=[kind])
    assert [(f.code, f.cell) for f in report.findings] == [("KX999", "B3")]
    assert get_rule("KX999", [kind]) is harga_positive
    assert get_rule("KX999") is None  # not installed: the default listing does not have it


def test_compute_all_dispatches_by_table_kind_and_can_say_why_a_value_is_missing():
    class T:
        def __init__(self, kind):
            self.kind = kind

    def compute(table, config, tables):
        return [Computed("x", "S", "A1", "r", "x", 1),
                Computed("y", "S", None, "r", "y", None,
                         reason=Message(N_("{word} kosong ({cell})"), word=NP_("capaian", "target"), cell="C7"))]

    kind = TableKind("k", "k", specs=(type("Spec", (), {"kind": "k"})(),), compute=compute)
    assert [c.kind for c in compute_all([T("k"), T("other")], None, kinds=[kind])] == ["x"]
    both = compute_all([T("k")], None, kinds=[kind], missing=True)
    assert [c.why("id") for c in both] == [None, "target kosong (C7)"]
    assert [c.why("en") for c in both] == [None, "the target is empty (C7)"]  # the kinds' catalogue


def test_hooks_are_found_by_name_and_a_missing_one_is_an_import_error():
    from decimal import Decimal

    assert hook("mutu")(Decimal("88.31")) == "A"
    with pytest.raises(ImportError):
        hook("no-such-hook")


def test_rule_names_are_english_kebab_case_and_former_names_still_select():
    import re

    from kinerja_xl.rules import selected

    indonesian = re.compile(r"\b(sama|beda|tidak|cocok|tahun|lewat|dua|kali|negatif|survei|jumlah|nilai|tertimbang|baris)\b")
    for r in all_rules():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name), r.name
        assert not indonesian.search(r.name.replace("-", " ")), r.name
    r = get_rule("KX704")
    assert r.name == "capaian-per-year"
    assert selected(r, ("capaian-per-tahun",), ()) and not selected(r, (), ("capaian-per-tahun",))


def _module_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports at import time (top-level statements only)."""
    root = ENGINE.parent
    files = {".".join(("kinerja_xl", *p.relative_to(ENGINE).with_suffix("").parts)).removesuffix(".__init__"): p
             for p in ENGINE.rglob("*.py")}
    domain = root / "validators"
    files.update({".".join(("kinerja_validators", *p.relative_to(domain).with_suffix("").parts)).removesuffix(".__init__"): p
                  for p in domain.rglob("*.py")})
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in files else base for a in node.names]
            else:
                continue
            edges.update(t for t in targets if t in files and t != name)
        graph[name] = edges
    return graph


def test_no_import_cycle_among_the_modules():
    graph = _module_graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_every_table_kind_gives_its_schema_as_yaml():
    for kind in load_kinds():
        if not kind.specs:
            continue  # rules across tables or reports only
        assert kind.schema is not None, kind.name
        assert "schema_type: dataframe" in kind.schema().to_yaml()
