"""Rule docs as data: loading, the one-line summaries, the explain page, the completeness check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from kinerja_xl import ruledoc
from kinerja_xl.rules import get_rule

ROOT = Path(__file__).resolve().parents[1]
PATHS = (ROOT / "kinerja_xl" / "data" / "rule_docs", ROOT / "validators" / "rule_docs")


def text(renderable, width: int = 80) -> str:
    console = Console(width=width, record=True, color_system=None, force_terminal=False)
    console.print(renderable)
    return console.export_text()


def test_summary_in_both_languages_and_fallback():
    r = get_rule("KX301")
    assert ruledoc.summary(r, "id", PATHS).startswith("Sisa anggaran = plafon anggaran − realisasi")
    assert ruledoc.summary(r, "en", PATHS).startswith("Sisa anggaran (remaining budget)")
    # a rule without a doc file keeps its own summary instead of an empty line
    assert ruledoc.summary(r, "id", [ROOT / "tidak-ada"]) == r.summary


def test_explain_is_rendered_with_the_example_filled_in():
    out = text(ruledoc.render_explain(get_rule("KX301"), "id", PATHS), width=100)
    assert out.splitlines()[0].split() == ["KX301", "sisa-identity", "[galat]", "tabel:", "realisasi"]
    assert "{" not in out and "*Salah" not in out and "``" not in out and "**" not in out
    salah = next(line for line in out.splitlines() if line.startswith("Salah"))
    benar = next(line for line in out.splitlines() if line.startswith("Benar"))
    assert salah.split()[-1] == "-" and benar.split()[-1] == "39.710"
    assert "KX301 Sisa 0 ≠ plafon 14.889.710 − realisasi 14.850.000 = 39.710 (selisih -39.710)" in out
    en = text(ruledoc.render_explain(get_rule("KX301"), "en", PATHS), width=100)
    assert "[error]" in en and "Wrong" in en and "Right" in en
    assert "Remaining budget 0 ≠ budget 14,889,710 − realisation 14,850,000 = 39,710" in en


def test_percent_parameters_read_as_percentages():
    msg = ruledoc.example_message(get_rule("KX302"), "id", PATHS)
    assert msg == "Serapan 80,00% ≠ realisasi 500.000 / plafon 600.000 = 83,33%"


def test_a_header_named_no_stays_text():
    assert ruledoc.yaml_load("[NO, no, Yes, true, '39.710']") == ["NO", "no", "Yes", True, "39.710"]


def _write(folder: Path, code: str, body: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{code}.yaml").write_text(body, encoding="utf-8")


def test_missing_docs_names_each_gap(tmp_path):
    r = get_rule("KX301")
    assert ruledoc.missing_docs([r], [tmp_path / "kosong"]) == ["KX301: no doc file KX301.yaml"]
    _write(tmp_path, "KX301", """
code: KX301
name: sisa-identity
summary: {id: "Sisa = plafon − realisasi.", en: "two\\nlines"}
explanation: {id: Penjelasan.}
example:
  salah: [["39.710", 39.710]]
example_params: {actual: 0, minuend: 1, subtrahend: 1}
""")
    problems = ruledoc.missing_docs([r], [tmp_path])
    assert problems == [
        "KX301: summary.en must be one line of at most 100 characters",
        "KX301: explanation.en missing",
        "KX301: example.salah has an unquoted decimal number",
        "KX301: example.benar missing",
        "KX301: example_params lacks difference, expected",
    ]


@pytest.mark.slow
def test_docs_are_read_once_and_only_when_asked(tmp_path):
    _write(tmp_path, "KX301", "code: KX301\nsummary: {id: satu, en: one}\n")
    assert ruledoc.summary("KX301", "id", [tmp_path]) == "satu"
    (tmp_path / "KX301.yaml").write_text("code: KX301\nsummary: {id: dua, en: two}\n", encoding="utf-8")
    assert ruledoc.summary("KX301", "id", [tmp_path]) == "satu"  # cached
    # importing the module reads nothing and does not even import the YAML parser
    probe = "import sys, kinerja_xl.ruledoc; print('yaml' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_a_rule_package_adds_its_doc_folder(tmp_path, monkeypatch):
    # the engine alone (no kinds loaded yet in this process or not) knows only its own codes
    monkeypatch.setattr(ruledoc, "DOC_PATHS", [ruledoc.ENGINE_DOCS])
    ruledoc._load.cache_clear()
    assert ruledoc.load_doc("KX301") is None
    ruledoc.add_doc_path(ROOT / "validators" / "rule_docs")
    assert ruledoc.load_doc("KX301").name == "sisa-identity"


def test_loading_the_installed_kinds_registers_their_doc_folder(monkeypatch):
    from kinerja_xl import kinds

    monkeypatch.setattr(ruledoc, "DOC_PATHS", [ruledoc.ENGINE_DOCS])
    kinds._installed.cache_clear()
    try:
        kinds.load_kinds()
        assert ROOT / "validators" / "rule_docs" in ruledoc.DOC_PATHS
        assert ruledoc.summary("KX301", "id")
    finally:
        kinds._installed.cache_clear()


def _all_rules():
    import kinerja_xl.audit.cross  # noqa: F401  the cross-report codes register with the audit
    from kinerja_xl.rules import all_rules

    return all_rules()


@pytest.mark.parametrize("lang, wrong, right", [("id", "Salah", "Benar"), ("en", "Wrong", "Right")])
def test_every_explain_page_is_plain_text_with_its_message_filled(lang, wrong, right):
    for r in _all_rules():
        out = text(ruledoc.render_explain(r, lang, PATHS), width=80)
        lines = out.splitlines()
        assert lines[0].split()[:3] == [r.code, r.name, f"[{r.severity.label(lang)}]"], r.code
        assert lines[2].strip() == ruledoc.summary(r, lang, PATHS)[: len(lines[2].strip())], r.code
        for raw in ("{", "}", "**", "``", "*Salah", "*Benar"):
            assert raw not in out, (r.code, raw)
        assert any(line.startswith(wrong) for line in lines) and any(line.startswith(right) for line in lines), r.code
        heading = "Pesan seperti yang tampil:" if lang == "id" else "The message as a clerk sees it:"
        shown = lines[lines.index(heading) + 1]  # its first line; a long message wraps below it
        message = f"{r.code} {ruledoc.example_message(r, lang, PATHS)}"
        assert message.startswith(shown.rstrip()), r.code


def test_rule_refuses_a_rule_without_summary_or_example():
    import pytest

    from kinerja_xl.i18n import N_
    from kinerja_xl.rules import rule

    def undocumented(table, ctx):
        return []

    def summary_only(table, ctx):
        """Sisa = plafon − realisasi."""

    def documented(table, ctx):
        """Sisa = plafon − realisasi.

        Salah: plafon 10, realisasi 4, sisa 5. Benar: sisa 6.
        """

    for func in (undocumented, summary_only):
        with pytest.raises(ValueError, match="Salah"):
            rule("KX998", "t", tables="t", message=N_("m"))(func)
    assert rule("KX998", "t", tables="t", message=N_("m"))(documented).code == "KX998"
