"""``python -m kinerja_xl.templates [FOLDER]``: rebuild the templates and the example."""

import sys
from pathlib import Path

from kinerja_xl.templates import build_all

folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "xlsx_templates"
for path in build_all(folder):
    print(path)
