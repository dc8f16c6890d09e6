"""Bilingual text one way: gettext catalogues (kinerja_xl.i18n, scripts/catalogues.py)."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja_xl import i18n
from kinerja_xl.findings import Finding, Percent, Severity
from kinerja_xl.i18n import N_, NP_, Text, gettext_for, translate

ROOT = Path(__file__).resolve().parents[1]


def _catalogues():
    """scripts/catalogues.py (scripts/ is not a package: loaded by file, once)."""
    if "catalogues" not in sys.modules:
        spec = importlib.util.spec_from_file_location("catalogues", ROOT / "scripts" / "catalogues.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["catalogues"] = module  # dataclasses look their module up while it executes
        spec.loader.exec_module(module)
    return sys.modules["catalogues"]


# --------------------------------------------------------------------------- the mechanism


def test_indonesian_is_the_msgid_and_english_comes_from_the_catalogue():
    assert translate("galat", "id") == "galat"
    assert translate("galat", "en") == "error"
    assert gettext_for("en")("peringatan") == "warning"
    assert Severity.WARNING.label("id") == "peringatan" and Severity.WARNING.label("en") == "warning"


def test_a_language_without_a_catalogue_and_an_unknown_msgid_read_the_msgid():
    assert translate("galat", "fr") == "galat"
    assert translate("teks yang tidak ada di katalog", "en") == "teks yang tidak ada di katalog"
    assert translate("", "en") == ""  # not the catalogue's header


def test_n_marks_without_translating_and_its_text_stays_a_plain_str():
    marked = N_("galat")
    assert marked == "galat" and isinstance(marked, str) and isinstance(marked, Text)
    assert {marked: 1}["galat"] == 1


def test_a_finding_keeps_the_msgid_and_translates_when_rendered():
    f = Finding("KX999", "contoh", Severity.ERROR, N_("peringatan"), params={})
    assert f.message("id") == "peringatan" and f.message("en") == "warning"
    assert f.message_id == "peringatan"  # plain data: the language is chosen by the reporter, per call


def test_numbers_and_marked_parameters_follow_the_language():
    f = Finding("KX999", "contoh", Severity.ERROR, "{jenis}: {nilai} ({persen}), selisih {difference}",
                params={"jenis": N_("galat"), "nilai": Decimal("6255403861"), "persen": Percent(101.015)},
                difference=Decimal("-1234567.5"))
    assert f.message("id") == "galat: 6.255.403.861 (101,02%), selisih -1.234.567,5"
    assert f.message("en") == "error: 6,255,403,861 (101.02%), selisih -1,234,567.5"


def test_a_message_formats_only_the_fields_its_template_names():
    class Loud:  # a parameter the template does not name must not be formatted at all
        def render_in(self, lang):
            raise AssertionError("formatted an unused parameter")

    f = Finding("KX999", "contoh", Severity.ERROR, "{b[0]:>{w}} {expected}",
                params={"b": "xy", "w": 4, "unused": Loud(), "expected": "param"}, expected=Decimal(7))
    assert f.message("id") == "   x param"  # a parameter overrides the field of its name
    g = Finding("KX999", "contoh", Severity.ERROR, "{n} {actual}", params={"n": 1234}, actual=Decimal(5678))
    assert g.message("id") == "1.234 5.678" and g.message("en") == "1,234 5,678"
    # a field nothing fills, a positional field and a malformed template: the template as it stands
    for template in ("{missing} {n}", "{} {n}", "{n"):
        assert Finding("KX999", "c", Severity.ERROR, template, params={"n": 1}).message() == template


def test_a_registered_domain_is_chained_after_the_engine(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="en", domain="contoh_plugin")
    catalog.add("kolam", "pond")
    catalog.add("galat", "mistake")  # the engine's own translation wins
    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "contoh_plugin.mo").open("wb") as f:
        write_mo(f, catalog)
    assert translate("kolam", "en") == "kolam"  # kept as looked up: a domain registered later must still count
    try:
        i18n.register_domain("contoh_plugin", tmp_path)
        assert translate("kolam", "en") == "pond" and translate("galat", "en") == "error"
        assert translate("kolam", "id") == "kolam"
    finally:
        i18n._domains.pop("contoh_plugin")
        i18n.translations.cache_clear()


@pytest.mark.slow
def test_translating_needs_neither_babel_nor_the_domain_package_imported():
    """The stdlib reads the .mo files; the plugin's catalogue is found from its entry point, not by importing it."""
    code = ("import sys\n"
            "from kinerja_xl.i18n import translate, translations\n"
            "assert translate('galat', 'en') == 'error'\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('babel', 'kinerja_validators', 'pandas')))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_the_engine_s_texts_do_not_look_for_plugins(monkeypatch):
    """The entry-point scan is paid only by a msgid the engine's catalogue lacks."""
    calls = []
    real = i18n._plugin_domains
    monkeypatch.setattr(i18n, "_plugin_domains", lambda: calls.append(1) or real())
    i18n.translations.cache_clear()
    try:
        assert translate("galat", "en") == "error" and calls == []
        assert translate("Capaian IKU", "en") == "IKU achievement" and calls == [1]  # the validators' domain
        assert translate("Perjanjian Kinerja", "en") == "Performance agreement" and calls == [1]  # found once
    finally:
        i18n.translations.cache_clear()


def test_a_text_and_its_context_are_looked_up_once_per_language(monkeypatch):
    i18n.translations.cache_clear()
    chain = i18n.translations("en")
    asked = []
    real = chain.gettext
    monkeypatch.setattr(chain, "gettext", lambda m: asked.append(m) or real(m))
    try:
        assert translate("galat", "en") == translate(N_("galat"), "en") == "error"
        assert asked == ["galat"]
        assert translate(NP_("jamak", "rincian"), "en") != "rincian"  # a context is its own entry
        assert translate(NP_("jamak", "rincian"), "en") == chain.pgettext("jamak", "rincian")
    finally:
        i18n.translations.cache_clear()


def test_the_plugin_domain_is_found_beside_its_package():
    assert i18n._plugin_domains().get("kinerja_validators") == ROOT / "validators" / "locale"


# --------------------------------------------------------------------------- the catalogues


@pytest.mark.parametrize("domain", ["kinerja_xl", "kinerja_validators"])
def test_every_marked_text_is_translated_nothing_is_stale_and_the_mo_is_compiled(domain):
    """Extracts the code's msgids with Babel (as `scripts/catalogues.py update` does) and compares."""
    catalogues = _catalogues()
    (d,) = [d for d in catalogues.DOMAINS if d.name == domain]
    assert catalogues.problems(d, "en") == []


def test_the_check_finds_a_missing_a_stale_and_an_untranslated_message(tmp_path):
    catalogues = _catalogues()
    src = tmp_path / "pkg"
    src.mkdir()
    (src / "m.py").write_text('from kinerja_xl.i18n import N_\nA = N_("baru")\nB = N_("lama")\nC = N_("kosong")\n',
                              encoding="utf-8")
    d = catalogues.Domain("contoh", src, tmp_path / "locale")
    d.po("en").parent.mkdir(parents=True)
    catalog = catalogues.update(d, "en")
    for m in catalog:
        if m.id in ("baru", "lama"):
            m.string = m.id.upper()
    catalog.add("hapus", "REMOVED")
    d.po("en").write_bytes(catalogues.po_bytes(catalog))
    d.mo("en").write_bytes(catalogues.mo_bytes(catalog))
    (src / "m.py").write_text('from kinerja_xl.i18n import N_\nA = N_("baru")\nC = N_("kosong")\nD = N_("tambah")\n',
                              encoding="utf-8")
    found = "\n".join(catalogues.problems(d, "en"))
    assert "not in the catalogue: 'tambah'" in found
    assert "stale (no longer in the code): 'hapus'" in found and "stale (no longer in the code): 'lama'" in found
    assert "no translation: 'kosong'" in found
    assert "out of date" not in found
    d.po("en").write_bytes(d.po("en").read_bytes().replace(b'msgstr "BARU"', b'msgstr "NEW"'))
    assert any("out of date" in p for p in catalogues.problems(d, "en"))


# --------------------------------------------------------------------------- one style only

# the locale's number conventions (not messages) and the mechanism itself
ALLOWED = {"kinerja_xl/i18n.py", "kinerja_xl/numfmt.py"}
TEXT_KEYWORDS = {"message", "reason", "title", "label", "text", "hint"}


def _literal_text(node: ast.AST) -> str | None:
    """The literal text of a string, an f-string or a + of them (None for anything else)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal_text(node.left), _literal_text(node.right)
        return None if left is None and right is None else (left or "") + (right or "")
    return None


def _is_prose(node: ast.AST) -> bool:
    """Words a user reads: lower-case letters outside a regular expression's group names (header
    patterns such as ``TAHUN (?P<year>\\d{4}) TARGET`` and upper-case labels are data, not text)."""
    text = _literal_text(node)
    if text is None or re.fullmatch(r"[\w.]*", text):  # an identifier or key prefix ('target_') is no prose
        return False
    return re.search(r"[a-z]{2,}", re.sub(r"\(\?P<\w+>", "", text)) is not None


def _old_styles(tree: ast.AST) -> list[str]:
    """Each place written in one of the former ways: a language comparison, an `*_en` name, an
    {"id": ..., "en": ...} dict, an (Indonesian, English) pair passed as a text keyword."""
    found = []

    def is_lang(node):  # lang, self.lang, cfg.lang, _lang(config), doc.get("lang")
        if isinstance(node, ast.Call):
            return is_lang(node.func) or any(isinstance(a, ast.Constant) and a.value == "lang" for a in node.args)
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        return "lang" in name.lower()

    for node in ast.walk(tree):
        where = f"line {getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Constant) and s.value in ("en", "id") for s in sides) and any(map(is_lang, sides)):
                found.append(f"{where}: language comparison")
        names = []
        if isinstance(node, ast.arg):
            names.append(node.arg)
        elif isinstance(node, ast.keyword) and node.arg:
            names.append(node.arg)
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
        elif isinstance(node, ast.Name):
            names.append(node.id)
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if {"id", "en"} <= keys:
                found.append(f"{where}: a text dict per language")
            names += [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        found += [f"{where}: `{n}`" for n in names if n.endswith("_en")]
        if isinstance(node, ast.keyword) and node.arg in TEXT_KEYWORDS and isinstance(node.value, ast.Tuple) \
                and len(node.value.elts) == 2 and all(isinstance(e, (ast.Constant, ast.JoinedStr)) and
                                                      not isinstance(getattr(e, "value", ""), (int, float))
                                                      for e in node.value.elts):
            found.append(f"{where}: an (Indonesian, English) pair")
        if isinstance(node, ast.Call):  # Check("udf-server", True, ("Siap.", "Ready.")): a pair by position
            found += [f"line {a.lineno}: an (Indonesian, English) pair passed by position" for a in node.args
                      if isinstance(a, ast.Tuple) and len(a.elts) == 2 and all(map(_is_prose, a.elts))]
    return found


def test_the_old_bilingual_styles_are_gone():
    """Text is an Indonesian msgid marked for gettext, nothing else: no `lang == "en"` branch, no `*_en`
    field or parameter, no {"id": ..., "en": ...} dict, no (Indonesian, English) pair."""
    offenders = {}
    for folder in ("kinerja_xl", "validators"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in ALLOWED:
                continue
            hits = _old_styles(ast.parse(path.read_text(encoding="utf-8")))
            if hits:
                offenders[rel] = hits
    assert offenders == {}


def test_the_style_check_sees_each_old_style():
    code = '''
def f(lang, title_en):
    a = "x" if lang == "en" else "y"
    a2 = "x" if _lang(config) != "en" else doc.get("lang") == "id"
    b = {"id": "ya", "en": "yes"}
    c = rule(message=("salah", "wrong"))
    return obj.message_en
'''
    hits = " ".join(_old_styles(ast.parse(code)))
    assert hits.count("language comparison") == 3 and "`title_en`" in hits and "text dict" in hits
    assert "pair" in hits and "`message_en`" in hits
    assert _old_styles(ast.parse('x = N_("salah")\ny = gettext_for(lang)("benar")\nz = (".xlsx", ".xlsm")')) == []


def test_the_style_check_sees_a_pair_passed_by_position():
    """A tuple of two texts given as a positional argument (what the add-in doctor's checks and an IKU reason
    were) is the old style too; header patterns, upper-case labels and file suffixes given that way are not."""
    code = '''
a = Check("udf-server", True, ("Server Python siap.", "The Python server is ready."))
b = Check("addin-files", False, (f"Berkas tidak ada di {where}: " + ", ".join(missing),
                                 f"Files missing from {where}: " + ", ".join(missing)), REINSTALL)
c = _not_computed(table, row, (f"{which} bernilai 0", f"the {which} is 0"))
'''
    hits = _old_styles(ast.parse(code))
    assert hits == [f"line {n}: an (Indonesian, English) pair passed by position" for n in (2, 3, 5)]
    data = '''
f = Field("no", (r"NO", r"NOMOR"), LABEL)
g = Field("target_{year}", (r"TAHUN (?P<year>\\d{4}) TARGET", r"TARGET (?P<year>\\d{4})"), PERCENT)
h = label.startswith(("JUMLAH PENDAPATAN", "JUMLAH BELANJA"))
i = path.suffix.lower() in (".xlsx", ".xlsm") or isinstance(x, (str, bytes))
j = pd.Series(("a", "b"))
k = key.startswith(("target_", "pagu_"))
'''
    assert _old_styles(ast.parse(data)) == []
