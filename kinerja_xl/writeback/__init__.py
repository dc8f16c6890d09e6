"""Write the results back into the workbook, losing nothing.

- ``plan``: what to paint (marks and notes, computed values, the ``Temuan``
  sheet, the state ``clear`` needs), decided once for every painter, and
  ``apply_plan`` / ``clear_workbook`` that drive a painter;
- ``painter``: the ``Painter`` protocol (``FilePainter`` here, the xlwings
  painter in ``kinerja_xl.addin``);
- ``files``: the lossless file painter (patches only the parts it changes,
  copies every other part still compressed), built from ``package`` (the
  zip and its relationships), ``styles``, ``sheetxml`` (cells of one sheet),
  ``notes`` (comments and VML of one sheet) and ``bytepatch`` (the reverse
  patches that let ``clear`` give every untouched part its original bytes);
- ``annotate``: ``annotate_file`` / ``clear_file`` for the CLI
  (``kinerja-xl periksa`` / ``annotate`` / ``clear``, in ``cli``);
- ``pkgdiff``: part-by-part package comparison (tests, debugging).
"""
