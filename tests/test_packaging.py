"""Packaging: the domain folder ships as ``kinerja_validators``, never as a top-level ``validators``."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # with build isolation, as a user's pip builds it (the backend pyproject.toml asks for, from PyPI)
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                           "-w", str(out), str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (path,) = out.glob("kinerja_xl-*.whl")
    return path


@pytest.mark.slow
def test_the_wheel_has_no_top_level_validators_module(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert tops == {"kinerja_xl", "kinerja_validators"}
    assert "kinerja_validators/realisasi/__init__.py" in names and "kinerja_validators/__init__.py" in names
    assert not any(n.startswith("validators/") for n in names)
    top_level = next(n for n in names if n.endswith(".dist-info/top_level.txt"))
    assert set(zipfile.ZipFile(wheel).read(top_level).decode().split()) == {"kinerja_xl", "kinerja_validators"}


@pytest.mark.slow
def test_the_wheel_declares_the_console_script(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "kinerja-xl = kinerja_xl.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


@pytest.mark.slow
def test_the_wheel_ships_the_rule_docs(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    shipped = {n.rsplit("/", 1)[-1] for n in names if "/rule_docs/" in n and n.endswith(".yaml")}
    expected = {p.name for p in (ROOT / "kinerja_xl" / "data" / "rule_docs").glob("*.yaml")} | \
               {p.name for p in (ROOT / "validators" / "rule_docs").glob("*.yaml")}
    assert "kinerja_xl/data/rule_docs/KX101.yaml" in names and "kinerja_validators/rule_docs/KX301.yaml" in names
    assert shipped == expected


def test_the_installed_package_imports_kinerja_validators_from_this_tree():
    spec = importlib.util.find_spec("kinerja_validators")
    assert spec is not None and Path(spec.origin).resolve() == ROOT / "validators" / "__init__.py"
    import kinerja_validators

    assert {"realisasi", "refocusing"} <= {s.kind for s in kinerja_validators.TABLE_SPECS}


def test_our_code_never_imports_a_top_level_validators():
    offenders = [str(p.relative_to(ROOT)) for folder in ("kinerja_xl", "validators") for p in (ROOT / folder).rglob("*.py")
                 if any(line.strip().startswith(("import validators", "from validators"))
                        for line in p.read_text(encoding="utf-8").splitlines())]
    assert offenders == []


@pytest.mark.slow
def test_the_wheel_ships_every_package_and_data_file_of_the_tree(wheel):
    """Every folder with an __init__.py, every YAML, template and compiled catalogue is in the wheel (a package left
    out of pyproject's list imports in an editable install and breaks a real one)."""
    names = set(zipfile.ZipFile(wheel).namelist())
    mapped = {"kinerja_xl": ROOT / "kinerja_xl", "kinerja_validators": ROOT / "validators"}
    for top, folder in mapped.items():
        for init in folder.rglob("__init__.py"):
            rel = init.relative_to(folder).as_posix()
            assert f"{top}/{rel}" in names, f"{top}/{rel} missing from the wheel (pyproject packages)"
        for data in (*folder.rglob("*.yaml"), *folder.rglob("*.j2"), *folder.rglob("*.mo")):
            rel = data.relative_to(folder).as_posix()
            assert f"{top}/{rel}" in names, f"{top}/{rel} missing from the wheel (package-data)"


def test_pyproject_lists_every_package_folder():
    """The cheap twin of the wheel test, run without building anything."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    on_disk = {"kinerja_xl" + "".join("." + p for p in init.parent.relative_to(ROOT / "kinerja_xl").parts)
               for init in (ROOT / "kinerja_xl").rglob("__init__.py")}
    on_disk |= {"kinerja_validators" + "".join("." + p for p in init.parent.relative_to(ROOT / "validators").parts)
                for init in (ROOT / "validators").rglob("__init__.py")}
    assert listed == on_disk
