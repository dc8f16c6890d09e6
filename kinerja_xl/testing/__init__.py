"""Test doubles and sample data for kinerja-xl's own tests, benchmarks and renderings; the product never imports them.

- ``fake_excel``: the Excel client's JSON for xlwings' remote mode and
  ``FakeExcel``, which replays the recorded actions the way Excel would.
- ``samples``: sample reports (the bundled example under other unit names and
  quarters, small generated reports) for the audit's tests and renderings.

Kept inside the package (as ``numpy.testing`` is) so that ``bench/`` and
users testing their own extensions can import it from an installed copy.
"""
