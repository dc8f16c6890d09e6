"""The *Bersihkan* button: its add-in file ``kinerja_xl.addin.bersihkan.xlam`` runs ``import kinerja_xl.addin.bersihkan; kinerja_xl.addin.bersihkan.main()``."""


def main() -> None:
    from kinerja_xl.startup import limit_blas_threads

    limit_blas_threads()  # before numpy is imported
    from kinerja_xl.addin.entry import bersihkan

    bersihkan()
