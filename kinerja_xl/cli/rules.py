"""``kinerja-xl rules`` and ``kinerja-xl explain``: the rule catalogue. Nothing heavy is imported here."""

# no `from __future__ import annotations`: typer evaluates the signature's Annotated options
import typer

from kinerja_xl.cli import options
from kinerja_xl.i18n import N_, gettext_for, translate


def list_rules(lang: options.LangOpt = None) -> None:
    """Daftar semua aturan: kode, tingkat, nama, tabel, ringkasan."""
    import textwrap

    from rich.text import Text

    from kinerja_xl import ruledoc
    from kinerja_xl.cli.common import console
    from kinerja_xl.report.human import STYLE
    from kinerja_xl.rules import all_rules

    lang = lang.value if lang else "id"
    out = console()
    rules = all_rules()
    sev_width = max(len(r.severity.label(lang)) for r in rules)
    indent = " " * (len(rules[0].code) + 2 + sev_width + 2)
    _ = gettext_for(lang)
    head = (_("Kode"), _("Tingkat"), _("Nama (tabel) dan ringkasan"))
    out.print(Text(f"{head[0]:<{len(rules[0].code)}}  {head[1]:<{sev_width}}  {head[2]}", style="bold"))
    for r in rules:
        line = Text(f"{r.code}  ")
        line.append(f"{r.severity.label(lang):<{sev_width}}", style=STYLE[r.severity])
        line.append(f"  {r.name}")
        if r.tables:
            line.append(f" ({', '.join(r.tables)})", style="dim")
        out.print(line)
        # one rule per block: the summary under the name, wrapped on a terminal at word boundaries only
        summary = ruledoc.summary(r, lang) or r.summary or ""
        if out.is_terminal:
            for text in textwrap.wrap(summary, width=max(out.width, 40), initial_indent=indent,
                                      subsequent_indent=indent, break_long_words=False, break_on_hyphens=False):
                out.print(text)
        elif summary:
            out.print(indent + summary)


def explain(code: str = typer.Argument(..., metavar="KODE", show_default=False,
                                       help="Kode aturan, mis. KX301, atau namanya (sisa-identity)."),
            lang: options.LangOpt = None) -> None:
    """Tampilkan dokumentasi satu aturan: ringkasan, penjelasan, contoh salah dan benar, dan pesannya."""
    from kinerja_xl import ruledoc
    from kinerja_xl.cli.common import console, fail
    from kinerja_xl.rules import all_rules, get_rule

    language = lang.value if lang else "id"
    wanted = code.lower()
    r = get_rule(code) or next((x for x in all_rules() if x.name == wanted or wanted in x.aliases), None)
    if r is None:
        raise fail(translate(N_("aturan '{code}' tidak dikenal. Lihat daftar aturan dengan: kinerja-xl rules"),
                             language).format(code=code))
    console().print(ruledoc.render_explain(r, language))
