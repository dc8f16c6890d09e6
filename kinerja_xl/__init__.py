"""kinerja-xl: checks the arithmetic of Laporan Kinerja Triwulan workbooks."""

__version__ = "0.1.0"
