"""Auditor mode: ``kinerja-xl audit`` checks a whole folder of reports, across units and quarters.

- ``run``: one run from start to finish (what the command calls), its summary and exit code;
- ``discovery``: which files are checked, and why the others are not;
- ``core``: check files, consolidate (the document every output is written from);
- ``pool``: worker processes with per-file time and memory limits;
- ``extract``: what a worker returns for one workbook (plain data);
- ``identify``: unit, quarter and year of a workbook (Info sheet, titles, ``--map``);
- ``cross``: rules across reports (KX851–KX858);
- ``baseline``: fingerprints of known findings;
- ``excel``, ``html`` (with ``templates/audit.html.j2``): the consolidated reports;
- ``progress``: the progress bar.

Sample reports for tests and benchmarks live in ``kinerja_xl.testing.samples``.
"""
