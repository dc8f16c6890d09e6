"""The Excel add-in: a "Kinerja" ribbon tab with the buttons Periksa, Hitung and Bersihkan.

- ``build``: makes the .xlam files (``kinerja-xl addin build|install``);
- ``periksa``, ``hitung``, ``bersihkan``: the modules the buttons' VBA imports;
- ``entry``: what the buttons run (the same engine as the CLI);
- ``painter``: ``XlwingsPainter``, the write-back into the live workbook;
- the test double for Excel (``FakeExcel``) and the remote-mode payloads live in ``kinerja_xl.testing``.
"""
