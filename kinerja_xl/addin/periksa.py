"""The *Periksa* button: its add-in file ``kinerja_xl.addin.periksa.xlam`` runs ``import kinerja_xl.addin.periksa; kinerja_xl.addin.periksa.main()``."""


def main() -> None:
    from kinerja_xl.startup import limit_blas_threads

    limit_blas_threads()  # before numpy is imported
    from kinerja_xl.addin.entry import periksa

    periksa()
