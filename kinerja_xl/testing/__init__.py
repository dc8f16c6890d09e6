"""Test doubles for kinerja-xl's own tests and benchmarks; not used by the product.

- ``fake_excel``: the Excel client's JSON for xlwings' remote mode and
  ``FakeExcel``, which replays the recorded actions the way Excel would.

Kept inside the package (as ``numpy.testing`` is) so that ``bench/`` and
users testing their own extensions can import it from an installed copy.
"""
