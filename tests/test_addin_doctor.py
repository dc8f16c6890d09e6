"""``kinerja_xl.addin.doctor``: every link of the add-in's setup, checked on Linux with temporary folders."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kinerja_xl.addin import build as addin_build
from kinerja_xl.addin import doctor


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[Path]:
    return addin_build.build(tmp_path_factory.mktemp("xlam"))


def setup(tmp_path: Path, built, interpreter: str | None = sys.executable, files=None) -> tuple[Path, Path]:
    """A user's machine: the settings file naming ``interpreter`` and an XLSTART folder holding ``files``."""
    import shutil

    settings = tmp_path / ".myaddin" / "myaddin.conf"
    settings.parent.mkdir(parents=True)
    if interpreter is not None:
        settings.write_text(f'"SHOW CONSOLE","False"\n"INTERPRETER_WIN","{interpreter}"\n', encoding="utf-8")
    xlstart = tmp_path / "XLSTART"
    xlstart.mkdir()
    for path in built if files is None else files:
        shutil.copy(path, xlstart / path.name)
    return settings, xlstart


def by_key(checks) -> dict[str, doctor.Check]:
    return {c.key: c for c in checks}


def xlwings_dll(folder: Path) -> Path:
    """The DLL that pip puts beside a Windows python.exe, for the installed xlwings' version."""
    import xlwings

    folder.mkdir(parents=True, exist_ok=True)
    dll = folder / f"xlwings64-{xlwings.__version__}.dll"
    dll.write_bytes(b"MZ")
    return dll


@pytest.mark.slow  # runs the add-in's Python
def test_a_healthy_setup_passes_every_check(tmp_path, built):
    settings, xlstart = setup(tmp_path, built)
    dll = xlwings_dll(tmp_path / "Python311")
    checks = doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart], dll_folders=[dll.parent])
    assert [c.key for c in checks] == ["settings", "python", "kinerja-xl", "addin-files", "xlwings-version",
                                       "udf-server"]
    assert all(c.ok for c in checks), doctor.report_lines(checks)
    assert doctor.healthy(checks)
    lines = doctor.report_lines(checks)
    assert lines[-1].startswith("Add-in siap") and all(line.startswith("✓") for line in lines[:-1])
    import xlwings

    assert xlwings.__version__ in by_key(checks)["xlwings-version"].text()


def test_no_settings_file(tmp_path, built):
    settings, xlstart = setup(tmp_path, built, interpreter=None)
    checks = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart]))
    assert checks["settings"].ok is False and "tidak ada" in checks["settings"].text()
    assert "kinerja-xl addin install" in checks["settings"].fix_text()
    # what depends on the Python is not checked, not passed
    assert checks["python"].ok is None and checks["kinerja-xl"].ok is None and checks["xlwings-version"].ok is None
    assert checks["addin-files"].ok is True


def test_the_interpreter_named_in_the_settings_is_gone(tmp_path, built):
    settings, xlstart = setup(tmp_path, built, interpreter=r"C:\Python39\python.exe")
    checks = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart]))
    c = checks["settings"]
    assert c.ok is False and r"C:\Python39\python.exe" in c.text() and "Could not find Interpreter!" in c.text()
    assert "python.org" in c.fix_text() and "kinerja-xl addin install" in c.fix_text()
    assert "Install Python" in c.fix_text("en")
    lines = doctor.report_lines(checks.values())
    assert any(line.startswith("✗ Python yang dicatat") for line in lines)
    assert any(line.startswith("    Perbaikan: Pasang Python") for line in lines)
    assert any(line.startswith("– Tidak diperiksa") for line in lines)
    assert not any(line.startswith("Add-in siap") for line in lines)


def test_a_python_without_kinerja_xl(tmp_path, built):
    settings, xlstart = setup(tmp_path, built)

    def run(cmd, env):
        return subprocess.CompletedProcess(cmd, 1, "", "Traceback ...\nModuleNotFoundError: No module named 'kinerja_xl'\n")

    checks = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart], run=run))
    assert checks["python"].ok is True
    c = checks["kinerja-xl"]
    assert c.ok is False and "No module named 'kinerja_xl'" in c.text()
    assert c.fix_text() == f'Jalankan: "{sys.executable}" -m pip install kinerja-xl'
    assert checks["xlwings-version"].ok is None


def test_a_python_that_does_not_run(tmp_path, built):
    settings, xlstart = setup(tmp_path, built)

    def run(cmd, env):
        raise OSError("[WinError 193] %1 is not a valid Win32 application")

    checks = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart], run=run))
    assert checks["python"].ok is False and "WinError 193" in checks["python"].text()
    assert checks["kinerja-xl"].ok is None


@pytest.mark.slow  # runs the add-in's Python
def test_no_xlwings_licence_key_is_needed(tmp_path, built):
    """The buttons' modules are imported with the key removed from the environment: the desktop add-in needs none."""
    settings, xlstart = setup(tmp_path, built)
    seen = []

    def run(cmd, env):
        seen.append(env)
        return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)

    env = {"XLWINGS_LICENSE_KEY": "noncommercial", "PATH": "/usr/bin:/bin"}
    checks = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart], run=run, env=env))
    assert "XLWINGS_LICENSE_KEY" not in seen[0] and seen[0]["PATH"] == "/usr/bin:/bin"
    assert checks["kinerja-xl"].ok is True and "tanpa kunci lisensi" in checks["kinerja-xl"].text()


def test_missing_add_in_files_are_named(tmp_path, built):
    settings, xlstart = setup(tmp_path, built, files=built[:1])
    checks = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart]))
    c = checks["addin-files"]
    assert c.ok is False and str(xlstart) in c.text()
    assert "kinerja_xl.addin.hitung.xlam" in c.text() and "kinerja_xl.addin.bersihkan.xlam" in c.text()
    assert "kinerja_xl.addin.periksa.xlam" not in c.text()
    assert checks["xlwings-version"].ok is None


@pytest.mark.slow  # runs the add-in's Python
def test_files_from_another_xlwings_or_an_older_ribbon(tmp_path, built):
    settings, xlstart = setup(tmp_path, built)
    old = xlstart / "kinerja_xl.addin.hitung.xlam"
    with zipfile.ZipFile(built[1]) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    parts[addin_build.CUSTOM_UI_PART] = parts[addin_build.CUSTOM_UI_PART].replace(b'keytip="H"', b"")
    with zipfile.ZipFile(old, "w") as dst:
        for n, data in parts.items():
            dst.writestr(n, data)
    checks = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart]))
    c = checks["xlwings-version"]
    assert c.ok is False and "kinerja_xl.addin.hitung.xlam" in c.text() and "periksa" not in c.text()
    assert c.fix == doctor.REINSTALL


def test_xlwings_without_its_quickstart_add_in(tmp_path, built):
    settings, xlstart = setup(tmp_path, built)
    empty = tmp_path / "site-packages" / "xlwings"
    empty.mkdir(parents=True)

    def run(cmd, env):
        return subprocess.CompletedProcess(cmd, 0, f"0.30.0\n{empty}\n", "")

    c = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart], run=run))["xlwings-version"]
    assert c.ok is False and "0.30.0" in c.text() and "--force-reinstall xlwings" in c.fix_text()


def test_on_linux_there_is_no_excel(tmp_path, built):
    settings, _ = setup(tmp_path, built)
    assert doctor.xlstart_folders("linux") == []
    c = by_key(doctor.diagnose(platform="linux", settings=settings))["addin-files"]
    assert c.ok is False and "Windows atau macOS" in c.text() and "kinerja-xl periksa" in c.fix_text()


def test_where_excel_opens_add_ins(tmp_path):
    [win] = doctor.xlstart_folders("win32", env={"APPDATA": r"C:\Users\ani\AppData\Roaming"})
    assert str(win).replace("\\", "/").endswith("Microsoft/Excel/XLSTART")
    mac = doctor.xlstart_folders("darwin", home=tmp_path)
    assert all("UBF8T346G9.Office" in str(p) and p.name == "Excel" for p in mac)


def test_the_settings_file_as_install_writes_it_is_read_back(tmp_path, monkeypatch):
    conf = tmp_path / "myaddin.conf"
    monkeypatch.setattr(addin_build.sys, "platform", "win32")
    addin_build.write_settings(conf, r"C:\Program Files\Python312\python.exe")
    assert doctor.read_interpreter(conf, "win32") == r"C:\Program Files\Python312\python.exe"
    assert doctor.read_interpreter(conf, "darwin") is None
    assert doctor.read_interpreter(tmp_path / "none.conf", "win32") is None
    conf.write_bytes(b'\xef\xbb\xbf"INTERPRETER_WIN","C:\\Py\\python.exe"\r\n')  # saved by Notepad
    assert doctor.read_interpreter(conf, "win32") == r"C:\Py\python.exe"


@pytest.mark.slow  # runs the add-in's Python
def test_files_installed_without_the_udf_server_are_not_called_stale(tmp_path):
    off = addin_build.build(tmp_path / "off", udf_server=False)
    settings, xlstart = setup(tmp_path, off)
    checks = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart]))
    assert checks["xlwings-version"].ok is True, checks["xlwings-version"].text()


@pytest.mark.slow  # runs the add-in's Python
def test_the_udf_server_needs_the_xlwings_dll_where_the_vba_loads_it(tmp_path, built):
    settings, xlstart = setup(tmp_path, built)
    empty = tmp_path / "Python311"
    empty.mkdir()
    c = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart], dll_folders=[empty]))["udf-server"]
    assert c.ok is False and "xlwings64-" in c.text() and str(empty) in c.text()
    assert "--no-udf-server" in c.fix_text() and "--force-reinstall xlwings" in c.fix_text()
    dll = xlwings_dll(empty)
    c = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart], dll_folders=[empty]))["udf-server"]
    assert c.ok is True and str(dll) in c.text()
    # by default the VBA's own places: the interpreter's folder and the one above it
    c = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart]))["udf-server"]
    assert str(Path(sys.executable).parent) in c.text() or c.ok is True


def test_without_the_udf_server_no_dll_is_needed(tmp_path):
    off = addin_build.build(tmp_path / "off", udf_server=False)
    settings, xlstart = setup(tmp_path, off)
    run = lambda cmd, env: subprocess.CompletedProcess(cmd, 0, "0.37.8\n/x/xlwings\n", "")  # noqa: E731
    c = by_key(doctor.diagnose(platform="win32", settings=settings, xlstart=[xlstart], run=run,
                               dll_folders=[tmp_path]))["udf-server"]
    assert c.ok is True and "setiap klik memulai Python baru" in c.text()
