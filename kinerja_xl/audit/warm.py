"""Imported once by the fork server, so that every worker starts warm.

Importing pandas, calamine, the rules and the table specs costs ~0,5–1,5 s;
a worker forked after this costs milliseconds.
"""

import pandas  # noqa: F401
import python_calamine  # noqa: F401

from kinerja_xl import runner
from kinerja_xl.audit import extract  # noqa: F401
from kinerja_xl.rules import load_rules

load_rules()
runner.table_specs()
