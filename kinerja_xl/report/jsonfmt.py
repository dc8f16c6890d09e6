"""The JSON document for machines. Field names are stable (``version`` 1):

    {"version": 1, "tool": "kinerja-xl", "files": [{"path", "error", "summary",
      "findings": [{"code", "name", "severity", "sheet", "cell", "row_key",
                    "expected", "actual", "difference", "message", "related"}],
      "tables": [{"kind", "title", "sheet", "range", "header_rows", "data_rows", "rows",
                  "numeric_cells", "checked_cells", "unchecked_cells", "rules",
                  "columns": [{"column", "header", "field", "numeric_cells", "checked_cells",
                               "unchecked_cells", "rules"}],
                  "unrecognised_columns": [{"column", "header"}],
                  "identities_judged", "identities": [{"rule", "rows_judged", "rows_failed"}]}],
      "unread_sheets": [{"sheet", "numeric_cells", "headers"}]}]}

Numbers are JSON numbers; percentages are in percent units (77.08).

``tables`` says what was checked (``kinerja_xl.coverage``): per located
table its kind and title, range (``A4:E50``, header included), header rows
``[first, last]``, data rows ``[first, last]`` and how many were read; per
column of its span, the header text, the field (concept) it was read as
(``null``: not understood), its numeric cells and how many of them a rule
checked, and the codes of those rules. A numeric cell is checked when a rule
that ran on the table reads its column; ``unchecked_cells`` counts the
others. ``unread_sheets`` lists sheets holding rows of numbers on which no
table was recognised, with the header texts seen above the first numbers.
With ``validate --coverage`` every column also lists its checked cells,
``"checked": ["C6", "C7", …]``, so a cell can be shown to have been verified
(by the column's ``rules``).

``identities`` says which identities judged how many rows: one entry per
check of the table kind's pandera schema that answers row by row (``rule``:
its code, ``KX301`` or ``KX305:plafon`` for one column of a rule;
``rows_judged``: the rows where all it reads was present, e.g. a parent
whose children all hold a value; ``rows_failed``: of those, where it does not
hold). ``identities_judged`` is the sum of ``rows_judged``. Identities
checked over a whole tree (a parent = Σ children in a realisasi table) or on
a frame of the rule's own (the survey recap) are not counted here: the
columns' ``rules`` still name them. With ``validate --coverage`` each
identity also lists its judged rows, ``"rows": [6, 7, …]``.
"""

from __future__ import annotations

import codecs
import io
import json
import os
from itertools import chain
from operator import itemgetter
from typing import Iterable, TextIO

from kinerja_xl.findings import Finding, Messages, json_number, messages_for


def finding_dict(f: Finding, lang: str = "id") -> dict:
    return finding_rows([f], messages_for(lang))[0]


def finding_rows(findings: Iterable[Finding], messages: Messages) -> list[dict]:
    """The findings' JSON objects, their messages written by ``messages`` (its language)."""
    return [{
        "code": f.code,
        "name": f.name,
        "severity": f.severity._value_,  # Enum's value without its descriptor (~0,1 µs a finding)
        "file": f.file,
        "sheet": f.sheet,
        "cell": f.cell,
        "row_key": f.row_key,
        "expected": json_number(f.expected),
        "actual": json_number(f.actual),
        "difference": json_number(f.difference),
        "message": messages(f),
        "related": list(f.related),
    } for f in findings]


_TEXTS = itemgetter("code", "name", "severity", "file", "sheet", "cell", "row_key", "message")
_RELATED = itemgetter("related")
_NUMBERS = itemgetter("expected", "actual", "difference")


def _rows_plain(rows: list[dict]) -> bool:
    """``_same_in_orjson(rows)`` for findings' rows, told by the types of what they hold where that
    suffices (3.137 findings: ~3,9 -> ~2,8 ms): their texts are str or None, and of the numbers only
    the floats are looked at."""
    texts = set(map(type, chain.from_iterable(map(_TEXTS, rows))))
    texts.update(map(type, chain.from_iterable(map(_RELATED, rows))))
    if not all(kind is type(None) or issubclass(kind, str) for kind in texts):
        return _same_in_orjson(rows)
    numbers = list(chain.from_iterable(map(_NUMBERS, rows)))
    return set(map(type, numbers)) <= _SCALARS or _same_in_orjson(numbers)


def table_dict(cov, lang: str = "id", table=None) -> dict:
    """One ``TableCoverage`` as JSON; with ``table`` (the ``Table``) each column lists its checked cells."""
    from kinerja_xl.coverage import checked_cells

    columns = []
    for c in cov.columns:
        col = {"column": c.column, "header": c.header, "field": c.field, "numeric_cells": c.numeric,
               "checked_cells": c.checked, "unchecked_cells": c.unchecked, "rules": list(c.rules)}
        if table is not None:
            col["checked"] = checked_cells(table, c)
        columns.append(col)
    return {
        "kind": cov.kind, "title": cov.title(lang), "sheet": cov.sheet, "range": cov.range,
        "header_rows": list(cov.header_rows), "data_rows": list(cov.data_rows), "rows": cov.rows,
        "numeric_cells": cov.numeric, "checked_cells": cov.checked, "unchecked_cells": cov.unchecked,
        "rules": list(cov.rules), "columns": columns,
        "unrecognised_columns": [{"column": c.column, "header": c.header} for c in cov.unrecognised],
        **identities_dict(cov, table is not None),
    }


def identities_dict(cov, rows: bool = False) -> dict:
    """The identities judged per row: ``identities_judged`` (Σ rows judged) and one entry per identity;
    with ``rows`` (``validate --coverage``) each lists the Excel rows it judged."""
    from kinerja_xl.coverage import judged_rows

    items = []
    for i in getattr(cov, "identities", ()):
        item = {"rule": i.rule, "rows_judged": i.judged, "rows_failed": i.failed}
        if rows:
            item["rows"] = judged_rows(i)
        items.append(item)
    return {"identities_judged": sum(x["rows_judged"] for x in items), "identities": items}


def report_dict(report, lang: str = "id", cells: bool = False) -> dict:
    """One file's JSON; ``cells``: list the checked cells of every column (``validate --coverage``)."""
    return _file_dict(report, Messages(lang), cells)[0]


def _file_dict(report, messages: Messages, cells: bool) -> tuple[dict, bool]:
    """``report_dict``, and whether orjson writes it as json does (``_same_in_orjson``)."""
    lang = messages.lang
    findings = report.findings
    items = finding_rows(findings, messages)
    severities = [item["severity"] for item in items]
    counts = {s: severities.count(s) for s in ("error", "warning", "info")}
    coverage = getattr(report, "coverage", [])
    doc = {
        "path": report.file,
        "error": report.error.message(lang) if report.error else None,
        "summary": counts,
        "findings": items,
        "tables": [table_dict(c, lang, report.tables[c.index] if cells else None) for c in coverage],
        "unread_sheets": [{"sheet": u.sheet, "numeric_cells": u.numeric, "headers": list(u.headers)}
                          for u in getattr(report, "unread_sheets", [])],
    }
    plain = _rows_plain(items) and _same_in_orjson([v for k, v in doc.items() if k != "findings"])
    return doc, plain


def render_json(reports: Iterable, out: TextIO, lang: str = "id", cells: bool = False) -> None:
    messages, files, plain = Messages(lang), [], True
    for report in reports:
        doc, same = _file_dict(report, messages, cells)
        files.append(doc)
        plain = plain and same
    write_json({"version": 1, "tool": "kinerja-xl", "files": files}, out, plain)


def dumps(doc) -> str:
    """``json.dumps(doc, ensure_ascii=False, indent=2)``, written by orjson where that gives the same text.

    orjson writes 3.137 findings in ~1 ms against json's ~35 ms, byte for byte the same, except for
    what ``_same_in_orjson`` refuses: floats Python writes with an exponent (``1e+16``, orjson
    ``1e16``), NaN and infinities (orjson ``null``), and anything that is not plain JSON data (orjson
    writes dataclasses, enums, dates and dict keys json would refuse or write otherwise); ints outside
    64 bits make orjson raise. Those documents go to json, as before.
    """
    data = _orjson(doc) if _same_in_orjson(doc) else None
    return json.dumps(doc, ensure_ascii=False, indent=2) if data is None else data.decode()


def write_json(doc, out: TextIO, plain: bool | None = None) -> None:
    """``out.write(dumps(doc) + "\\n")``; ``plain``: what ``_same_in_orjson(doc)`` says, when known.

    One write: json.dump writes each of its ~60 pieces per finding on its own, and an unbuffered stdout
    (PYTHONUNBUFFERED, python -u) makes each a system call (3.137 findings: 175.000 writes, ~80 ms).
    orjson's UTF-8 goes to a UTF-8 stream's bytes as it is: decoded and encoded again by the text
    layer it cost ~5 ms for the ~2 MB of 3.137 findings (and ~6 MB of memory).
    """
    if plain is None:
        plain = _same_in_orjson(doc)
    data = _orjson(doc, newline=True) if plain else None
    if data is None:
        out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    elif not _write_utf8(data, out):
        out.write(data.decode())


def _orjson(doc, newline: bool = False) -> bytes | None:
    """orjson's text of ``doc`` (which ``_same_in_orjson`` passed), None where json must write it."""
    try:
        import orjson
    except ImportError:  # pragma: no cover -- a dependency; json writes the same text, only slower
        return None
    # the line end appended by orjson, not by copying the text once more (~2 MB: ~0,3 ms)
    option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE if newline else orjson.OPT_INDENT_2
    try:
        return orjson.dumps(doc, option=option)
    except orjson.JSONEncodeError:  # an int beyond 64 bits, a lone surrogate: json's way
        return None


def _write_utf8(data: bytes, out: TextIO) -> bool:
    """Write ``data`` (UTF-8) to the bytes under ``out`` when that is what writing its text would give:
    a text layer encoding UTF-8 that turns no line end into another (POSIX's, as stdout's there).
    False where the text has to be written instead."""
    buffer = getattr(out, "buffer", None)
    if not (os.linesep == "\n" and isinstance(out, io.TextIOWrapper)
            and isinstance(buffer, (io.BufferedIOBase, io.RawIOBase))
            and codecs.lookup(out.encoding).name == "utf-8"):
        return False
    out.flush()  # what was written as text before goes first
    view = memoryview(data)
    while view:
        written = buffer.write(view)
        view = view[written or 0:]  # an unbuffered stream (python -u) may take part of it
    if out.line_buffering or out.write_through:
        buffer.flush()
    return True


_SCALARS = frozenset((str, int, bool, type(None)))


def _same_in_orjson(doc) -> bool:
    """True when every value under ``doc`` is one orjson writes exactly as ``json.dumps`` does: dicts
    with str keys, lists, tuples, str (and its subclasses), int, bool, None, and floats whose repr
    has no exponent."""
    stack = [doc]
    pop, push = stack.pop, stack.extend
    scalars, float_repr = _SCALARS, float.__repr__
    while stack:
        value = pop()
        kind = type(value)
        if kind in scalars:
            continue
        if kind is dict:
            for key in value:
                if type(key) is not str:
                    return False
            push(value.values())
        elif kind is list or kind is tuple:
            push(value)
        elif kind is float:
            text = float_repr(value)
            if "e" in text or "n" in text:  # 1e+16, 1e-05; inf, nan
                return False
        elif not isinstance(value, str):  # a marked text (i18n.Text) is written as its characters by both
            return False
    return True
