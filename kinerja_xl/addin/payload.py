"""Moved to ``kinerja_xl.testing.fake_excel`` (test doubles are not product modules).

Only re-exported until the last test modules that import it from here
(tests/conftest.py, tests/test_painters_agree.py, tests/test_xlwings_book.py)
are switched over; then delete this file.
"""

from kinerja_xl.testing.fake_excel import *  # noqa: F401,F403
from kinerja_xl.testing.fake_excel import _a1  # noqa: F401
