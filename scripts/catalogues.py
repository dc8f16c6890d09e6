"""Keep the gettext catalogues in step with the code (Babel's API, one command per step).

    python scripts/catalogues.py update    # extract the marked texts, merge them into every .po
    (translate the new entries: every msgstr in locale/en/LC_MESSAGES/*.po must be filled)
    python scripts/catalogues.py compile   # .po -> .mo (the files the package reads at run time)
    python scripts/catalogues.py check     # what the tests check: nothing missing, stale, untranslated or uncompiled

Two domains: ``kinerja_xl`` (the engine, CLI, reports, add-in, audit) and
``kinerja_validators`` (the table kinds, in ``validators/``). A msgid is the
Indonesian text, so Indonesian needs no catalogue. Texts are marked with the
gettext names Babel extracts by default: ``N_("...")`` (translated later),
``_("...")`` after ``_ = gettext_for(lang)``, ``NP_(context, "...")``,
``ngettext`` and ``pgettext``.

``update`` is ``pybabel extract`` + ``pybabel update``, and ``compile`` is
``pybabel compile``, for both domains at once and without line numbers in the
.po (so moving code does not rewrite the catalogues).
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en",)  # Indonesian is the msgids' language
# Babel's defaults (_, N_, gettext, ngettext, pgettext, ...) and kinerja_xl.i18n's NP_(context, msgid)
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2)}


@dataclass(frozen=True)
class Domain:
    name: str
    source: Path  # the package folder extracted
    locale: Path  # its locale/ folder

    def po(self, lang: str) -> Path:
        return self.locale / lang / "LC_MESSAGES" / f"{self.name}.po"

    def mo(self, lang: str) -> Path:
        return self.po(lang).with_suffix(".mo")


DOMAINS = (
    Domain("kinerja_xl", ROOT / "kinerja_xl", ROOT / "kinerja_xl" / "locale"),
    Domain("kinerja_validators", ROOT / "validators", ROOT / "validators" / "locale"),
)


def extract(domain: Domain) -> Catalog:
    """Every marked text of the domain's code (the .pot, in memory)."""
    template = Catalog(project="kinerja-xl", domain=domain.name, fuzzy=False)

    for filename, lineno, message, comments, context in extract_from_dir(
            domain.source, method_map=[("**.py", "python")], keywords=KEYWORDS,
            callback=None, strip_comment_tags=True, comment_tags=("i18n:",)):
        path = domain.source / filename
        rel = (path.relative_to(ROOT) if path.is_relative_to(ROOT) else Path(domain.source.name, filename)).as_posix()
        template.add(message, None, [(rel, lineno)], auto_comments=comments, context=context)
    return template


def read(path: Path, lang: str, domain: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=lang, domain=domain, project="kinerja-xl", fuzzy=False)
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=domain)


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_lineno=False, ignore_obsolete=True, sort_output=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update(domain: Domain, lang: str, template: Catalog | None = None) -> Catalog:
    """The domain's .po for ``lang`` with the code's msgids: new ones empty, gone ones dropped."""
    catalog = read(domain.po(lang), lang, domain.name)
    template = template or extract(domain)
    template.creation_date = catalog.creation_date  # no header churn: the .po changes only with its messages
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def problems(domain: Domain, lang: str) -> list[str]:
    """What is wrong with the domain's catalogue: empty, missing or stale entries, an out-of-date .mo."""
    template = extract(domain)
    catalog = read(domain.po(lang), lang, domain.name)
    code = {m.id if m.context is None else (m.context, m.id) for m in template if m.id}
    have = {m.id if m.context is None else (m.context, m.id) for m in catalog if m.id}
    out = [f"{domain.po(lang).name}: not in the catalogue: {k!r}" for k in sorted(code - have, key=str)]
    out += [f"{domain.po(lang).name}: stale (no longer in the code): {k!r}" for k in sorted(have - code, key=str)]
    out += [f"{domain.po(lang).name}: no translation: {m.id!r}" for m in catalog
            if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    out += [f"{domain.po(lang).name}: fuzzy: {m.id!r}" for m in catalog if m.id and m.fuzzy]
    if not domain.mo(lang).exists() or domain.mo(lang).read_bytes() != mo_bytes(catalog):
        out.append(f"{domain.mo(lang).name}: out of date with its .po (run: python scripts/catalogues.py compile)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("update", "compile", "check"))
    args = parser.parse_args(argv)
    failed = []
    for domain in DOMAINS:
        for lang in LANGS:
            if args.command == "update":
                domain.po(lang).parent.mkdir(parents=True, exist_ok=True)
                catalog = update(domain, lang)
                domain.po(lang).write_bytes(po_bytes(catalog))
                empty = sum(1 for m in catalog if m.id and not m.string)
                print(f"{domain.po(lang).relative_to(ROOT)}: {len(catalog)} messages, {empty} to translate")
            elif args.command == "compile":
                catalog = read(domain.po(lang), lang, domain.name)
                domain.mo(lang).write_bytes(mo_bytes(catalog))
                print(f"{domain.mo(lang).relative_to(ROOT)}: {len(catalog)} messages")
            else:
                failed += problems(domain, lang)
    print("\n".join(failed), file=sys.stderr) if failed else None
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
