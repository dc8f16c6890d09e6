"""Reporters: each renders the same ``WorkbookReport`` list in one format."""

from __future__ import annotations

from kinerja_xl.report.concise import render_concise
from kinerja_xl.report.human import render_human
from kinerja_xl.report.jsonfmt import render_json
from kinerja_xl.report.sarif import render_sarif

FORMATS = ("human", "concise", "json", "sarif")

__all__ = ["FORMATS", "render_concise", "render_human", "render_json", "render_sarif"]
