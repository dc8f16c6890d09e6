"""Compare two xlsx packages part by part (used by the lossless tests and for debugging).

- ``diff_packages(a, b)``: every difference: a part only on one side; a part
  whose bytes differ and whose XML trees differ too (first difference
  named by path). Parts equal byte for byte are not parsed.
- ``lost_in(original, annotated, allowed_attrs)``: what of ``original``'s XML
  is missing from ``annotated``: every element must still be there, in
  order (added elements are allowed), with the same text and attributes,
  except attributes named in ``allowed_attrs`` (``{"c": {"s"}}``).

``python -m kinerja_xl.writeback.pkgdiff A.xlsx B.xlsx`` prints the differences.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from typing import Iterable

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, recover=True)


def read_parts(path: str | Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def _tree(data: bytes):
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else str(tag)


def _path(el) -> str:
    parts = []
    while el is not None:
        ref = el.get("r") if isinstance(el.tag, str) else None
        parts.append(_local(el.tag) + (f"[{ref}]" if ref else ""))
        el = el.getparent()
    return "/".join(reversed(parts))


def tree_diff(a, b) -> str | None:
    """First difference between two element trees (tag, attributes, text, tail, children), or None."""
    if a.tag != b.tag:
        return f"{_path(a)}: tag {a.tag} != {b.tag}"
    if dict(a.attrib) != dict(b.attrib):
        return f"{_path(a)}: attributes {dict(a.attrib)} != {dict(b.attrib)}"
    if (a.text or "") != (b.text or ""):
        return f"{_path(a)}: text {a.text!r} != {b.text!r}"
    if (a.tail or "").strip() != (b.tail or "").strip():
        return f"{_path(a)}: tail {a.tail!r} != {b.tail!r}"
    ca, cb = list(a), list(b)
    if len(ca) != len(cb):
        ta, tb = [_local(c.tag) for c in ca], [_local(c.tag) for c in cb]
        return f"{_path(a)}: {len(ca)} children {ta[:12]} != {len(cb)} children {tb[:12]}"
    for x, y in zip(ca, cb):
        d = tree_diff(x, y)
        if d:
            return d
    return None


def diff_packages(a: str | Path | dict, b: str | Path | dict) -> list[str]:
    pa = a if isinstance(a, dict) else read_parts(a)
    pb = b if isinstance(b, dict) else read_parts(b)
    out = []
    for name in sorted(set(pa) - set(pb)):
        out.append(f"{name}: only in the first package")
    for name in sorted(set(pb) - set(pa)):
        out.append(f"{name}: only in the second package")
    for name in sorted(set(pa) & set(pb)):
        if pa[name] == pb[name]:
            continue
        ta, tb = _tree(pa[name]), _tree(pb[name])
        if ta is None or tb is None:
            out.append(f"{name}: bytes differ (not XML)")
            continue
        d = tree_diff(ta, tb)
        if d:
            out.append(f"{name}: {d}")
    return out


def lost_in(original, annotated, allowed_attrs: dict[str, set[str]] | None = None) -> list[str]:
    """What of ``original`` (element tree) is missing or altered in ``annotated``."""
    allowed = allowed_attrs or {}
    out: list[str] = []

    def key(el):
        return (el.tag, el.get("r") if isinstance(el.tag, str) else None)

    def same_attrs(o, n) -> bool:
        skip = allowed.get(_local(o.tag), set()) | allowed.get("*", set())
        ao = {k: v for k, v in o.attrib.items() if _local(k) not in skip}
        an = {k: v for k, v in n.attrib.items() if _local(k) not in skip and k in o.attrib}
        return ao == an and not (set(ao) - set(n.attrib))

    def walk(o, n):
        if not same_attrs(o, n):
            out.append(f"{_path(o)}: attributes {dict(o.attrib)} -> {dict(n.attrib)}")
        if (o.text or "").strip() != (n.text or "").strip():
            out.append(f"{_path(o)}: text {o.text!r} -> {n.text!r}")
        children = list(n)
        i = 0
        for child in o:
            # the next element of the same kind, preferring one with the same attributes (added
            # siblings such as a new <sheet> or <comment> may come first)
            candidates = [j for j in range(i, len(children)) if key(children[j]) == key(child)]
            if not candidates:
                out.append(f"{_path(child)}: missing")
                continue
            j = next((j for j in candidates if same_attrs(child, children[j])), candidates[0])
            walk(child, children[j])
            i = j + 1

    if original.tag != annotated.tag:
        return [f"root {original.tag} -> {annotated.tag}"]
    walk(original, annotated)
    return out


def main(argv: Iterable[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    if len(args) != 2:
        print("usage: python -m kinerja_xl.writeback.pkgdiff A.xlsx B.xlsx")
        return 2
    diffs = diff_packages(*args)
    for d in diffs:
        print(d)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
