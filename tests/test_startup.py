"""A kinerja-xl process runs numpy with one OpenBLAS thread unless the user set a number."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kinerja_xl.startup import limit_blas_threads

EXAMPLE = Path(__file__).resolve().parents[1] / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"


def test_one_thread_by_default_the_users_number_kept_and_nothing_once_numpy_is_loaded():
    env: dict[str, str] = {}
    limit_blas_threads(env, modules={})
    assert env == {"OPENBLAS_NUM_THREADS": "1"}
    env = {"OPENBLAS_NUM_THREADS": "4"}
    limit_blas_threads(env, modules={})
    assert env == {"OPENBLAS_NUM_THREADS": "4"}
    env = {}
    limit_blas_threads(env, modules={"numpy": object()})  # too late to matter: OpenBLAS has read it
    assert env == {}


def _run(code: str, **extra: str) -> str:
    """The last line the code printed, in a fresh Python without the variable (unless given)."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"} | extra
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                          timeout=120).stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_the_command_line_and_the_buttons_set_it_before_numpy():
    # the CLI's entry ends the process itself (process.end): replaced here by a print of what it set
    cli = ("import os, sys\nimport kinerja_xl.cli.process as p\n"
           "p.end = lambda *a: (print(os.environ.get('OPENBLAS_NUM_THREADS'), 'numpy' in sys.modules), sys.exit(0))\n"
           "sys.argv = ['kinerja-xl', 'validate', {example!r}, '--format', 'json']\nfrom kinerja_xl.cli import main\nmain()"
           ).format(example=str(EXAMPLE))
    assert _run(cli) == "1 True"  # numpy was loaded with it
    assert _run(cli, OPENBLAS_NUM_THREADS="3") == "3 True"
    button = ("import os, sys\nimport kinerja_xl.addin.entry as e\n"
              "e.{name} = lambda: print(os.environ.get('OPENBLAS_NUM_THREADS'))\n"
              "import kinerja_xl.addin.{name} as b\nb.main()")
    for name in ("periksa", "hitung", "bersihkan"):
        assert _run(button.format(name=name)) == "1", name


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads through Linux's /proc")
def test_numpy_then_starts_no_thread_of_its_own():
    count = "import os\nfrom kinerja_xl.startup import limit_blas_threads\n{call}\nimport numpy\nprint(len(os.listdir('/proc/self/task')))"
    assert int(_run(count.format(call="limit_blas_threads()"))) == 1
    if (os.cpu_count() or 1) > 1:
        assert int(_run(count.format(call="pass"))) > 1  # what it saves: a thread per core otherwise
