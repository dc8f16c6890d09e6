"""The *Hitung* button: its add-in file ``kinerja_xl.addin.hitung.xlam`` runs ``import kinerja_xl.addin.hitung; kinerja_xl.addin.hitung.main()``."""


def main() -> None:
    from kinerja_xl.startup import limit_blas_threads

    limit_blas_threads()  # before numpy is imported
    from kinerja_xl.addin.entry import hitung

    hitung()
