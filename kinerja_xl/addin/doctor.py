"""``kinerja-xl addin doctor``: is the Excel add-in set up, and if not, what to do about it.

When Python is not set up, the add-in's stock VBA shows English boxes such
as "Could not find Interpreter!". A clerk cannot act on that, so this module
checks the chain the ribbon depends on, link by link, and says in Indonesian
(English with ``lang="en"``) what is wrong and how to fix it:

1. ``settings``: the add-in's settings file (``myaddin.conf``) names a Python
   (``INTERPRETER_WIN`` / ``INTERPRETER_MAC``) and that file exists;
2. ``python``: that Python runs;
3. ``kinerja-xl``: it can import the three modules the buttons import, with
   no ``XLWINGS_LICENSE_KEY`` in its environment (the desktop add-in is
   xlwings' BSD part and needs no key);
4. ``addin-files``: the three ``.xlam`` files are in Excel's XLSTART folder;
5. ``xlwings-version``: each installed file is exactly what ``kinerja-xl addin
   build`` makes from that Python's xlwings (the VBA calls the xlwings DLL of
   its own version, so the add-in and the Python's xlwings must match), and
   carries this kinerja-xl's ribbon;
6. ``udf-server``: when the files carry xlwings' "Use UDF Server" (Windows),
   the xlwings DLL that starts the kept Python (``xlwings64-<version>.dll``
   or ``xlwings32-…``) is where the VBA loads it from: the interpreter's
   folder or the one above it (a ``pip install --user`` puts it elsewhere).

``diagnose`` returns the results as data (``Check``); the paths, the
platform and the way a program is run are parameters, so every branch is
tested on Linux with temporary folders. A check that cannot run because an
earlier one failed is reported as skipped (``ok is None``), never as passed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from kinerja_xl.addin import build as addin_build
from kinerja_xl.i18n import N_, Message, translate
from kinerja_xl.numfmt import format_value

#: the modules the buttons' VBA imports (``RunPython "import kinerja_xl.addin.periksa; ...main()"``)
BUTTON_MODULES = tuple(b.module for b in addin_build.BUTTONS)

# What the chosen Python prints: its xlwings version, then the folder of the xlwings package.
_PROBE = (
    "import importlib, os, xlwings\n"
    f"for m in {BUTTON_MODULES!r}:\n"
    "    importlib.import_module(m)\n"
    "print(xlwings.__version__)\n"
    "print(os.path.dirname(os.path.abspath(xlwings.__file__)))\n"
)


@dataclass(frozen=True)
class Check:
    key: str                 # settings | python | kinerja-xl | addin-files | xlwings-version | udf-server
    ok: bool | None          # None: not checked, an earlier check failed
    message: str | Message  # what was found (a msgid marked N_, or a Message)
    fix: str | Message | None = None  # what to do

    def text(self, lang: str = "id") -> str:
        return format_value(self.message, lang) if isinstance(self.message, Message) else translate(self.message, lang)

    def fix_text(self, lang: str = "id") -> str | None:
        if self.fix is None:
            return None
        return format_value(self.fix, lang) if isinstance(self.fix, Message) else translate(self.fix, lang)


REINSTALL = N_("Jalankan di Command Prompt: kinerja-xl addin install (tutup Excel dulu).")


def xlstart_folders(platform: str | None = None, env: dict | None = None, home: Path | None = None) -> list[Path]:
    """Where Excel opens add-ins at start: the user's XLSTART (Windows) or Startup/Excel (macOS)."""
    platform = platform or sys.platform
    env = os.environ if env is None else env
    home = home or Path.home()
    if platform.startswith("win"):
        appdata = env.get("APPDATA") or str(home / "AppData" / "Roaming")
        return [Path(appdata) / "Microsoft" / "Excel" / "XLSTART"]
    if platform == "darwin":
        office = home / "Library" / "Group Containers" / "UBF8T346G9.Office"
        return [office / "User Content.localized" / "Startup.localized" / "Excel",
                office / "User Content" / "Startup" / "Excel"]
    return []


def read_interpreter(settings: Path, platform: str | None = None) -> str | None:
    """The Python named in the add-in's settings file (``"INTERPRETER_WIN","C:\\...\\python.exe"``)."""
    platform = platform or sys.platform
    key = "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"
    try:
        lines = settings.read_text(encoding="utf-8-sig", errors="replace").splitlines()  # Notepad adds a BOM
    except OSError:
        return None
    for line in lines:
        parts = [p.strip().strip('"') for p in line.split('","')]
        if len(parts) == 2 and parts[0].strip('"').upper() == key:
            return parts[1].strip('"') or None
    return None


def _run(cmd: Sequence[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(list(cmd), capture_output=True, text=True, env=env, timeout=120)


def diagnose(
    *,
    platform: str | None = None,
    settings: Path | None = None,
    xlstart: Sequence[Path] | None = None,
    run: Callable[[Sequence[str], dict], subprocess.CompletedProcess] = _run,
    env: dict | None = None,
    dll_folders: Sequence[Path] | None = None,
) -> list[Check]:
    """Check the add-in's setup; one ``Check`` per link of the chain, in the order above.

    ``dll_folders``: where the add-in's VBA looks for the xlwings DLL (default: the interpreter's folder and
    the one above it, as its ``XLPyLoadDLL`` does).
    """
    platform = platform or sys.platform
    settings = settings or addin_build.settings_file()
    folders = list(xlstart) if xlstart is not None else xlstart_folders(platform)
    env = dict(os.environ if env is None else env)
    checks: list[Check] = []

    # 1. the settings file names a Python that exists
    interpreter = read_interpreter(settings, platform)
    if not settings.is_file():
        checks.append(Check("settings", False, Message(N_("Berkas pengaturan add-in {settings} tidak ada."), settings=str(settings)), REINSTALL))
    elif not interpreter:
        checks.append(Check("settings", False, Message(N_("{settings} tidak menyebut Python mana yang dipakai add-in."), settings=str(settings)), REINSTALL))
    elif not Path(interpreter).is_file():
        checks.append(Check("settings", False, Message(N_("Python yang dicatat di {settings} tidak ada: {interpreter}. Excel akan menampilkan \"Could not find Interpreter!\"."), settings=str(settings), interpreter=str(interpreter)), N_("Pasang Python (python.org, centang \"Add python.exe to PATH\"), lalu pip install kinerja-xl dan kinerja-xl addin install dengan Python itu.")))
    else:
        checks.append(Check("settings", True, Message(N_("Add-in memakai Python {interpreter} (dicatat di {settings})."), interpreter=str(interpreter), settings=str(settings))))
    python_ok = bool(checks[-1].ok)

    # 2 and 3. that Python runs and imports the buttons' modules without a licence key
    versions: tuple[str, Path] | None = None
    if not python_ok:
        for key in ("python", "kinerja-xl"):
            checks.append(Check(key, None, N_("Tidak diperiksa: Python add-in belum ditemukan.")))
    else:
        probe_env = {k: v for k, v in env.items() if k != "XLWINGS_LICENSE_KEY"}
        try:
            proc = run([interpreter, "-c", _PROBE], probe_env)
            error = None if proc.returncode == 0 else (proc.stderr or proc.stdout or "").strip().splitlines()
        except (OSError, subprocess.SubprocessError) as exc:
            proc, error = None, [str(exc)]
        if proc is None:
            checks.append(Check("python", False, Message(N_("Python {interpreter} tidak dapat dijalankan: {error_1}"), interpreter=str(interpreter), error_1=str(error[-1])), N_("Pasang ulang Python, lalu kinerja-xl addin install.")))
            checks.append(Check("kinerja-xl", None, N_("Tidak diperiksa: Python tidak berjalan.")))
        else:
            checks.append(Check("python", True, Message(N_("Python {interpreter} berjalan."), interpreter=str(interpreter))))
            if error is not None:
                last = error[-1] if error else f"exit {proc.returncode}"
                checks.append(Check("kinerja-xl", False, Message(N_("Python add-in tidak dapat memuat kinerja-xl atau xlwings: {last}"), last=str(last)), Message(N_("Jalankan: \"{interpreter}\" -m pip install kinerja-xl"), interpreter=str(interpreter))))
            else:
                lines = proc.stdout.strip().splitlines()
                versions = (lines[-2].strip(), Path(lines[-1].strip())) if len(lines) >= 2 else None
                checks.append(Check("kinerja-xl", True, N_("Python add-in memuat kinerja-xl dan xlwings tanpa kunci lisensi xlwings (add-in desktop tidak memerlukannya).")))

    # 4. the files are where Excel opens them
    installed: list[Path] = []
    missing: list[str] = []
    for button in addin_build.BUTTONS:
        found = next((f / button.filename for f in folders if (f / button.filename).is_file()), None)
        if found is None:
            missing.append(button.filename)
        else:
            installed.append(found)
    where = ", ".join(str(f) for f in folders) or "-"
    if not folders:
        checks.append(Check("addin-files", False, N_("Excel tidak ada di sistem ini: add-in hanya berjalan di Windows atau macOS."), N_("Di sistem ini pakai: kinerja-xl periksa LAPORAN.xlsx")))
    elif missing:
        checks.append(Check("addin-files", False, Message(N_("Berkas add-in tidak ada di folder XLSTART ({where}): "
                                                             "{files}"), where=where, files=", ".join(missing)),
                            REINSTALL))
    else:
        checks.append(Check("addin-files", True, Message(N_("Ketiga berkas add-in ada di {installed_0_parent}."), installed_0_parent=str(installed[0].parent))))

    # 5. the installed files are what this kinerja-xl builds from that Python's xlwings
    if versions is None or missing or not folders:
        checks.append(Check("xlwings-version", None, N_("Tidak diperiksa: pemeriksaan sebelumnya gagal.")))
    else:
        version, package = versions
        source = package / "quickstart_addin_ribbon.xlam"
        stale = _stale(installed, source)
        if stale is None:
            checks.append(Check("xlwings-version", False, Message(N_("xlwings {version} di Python add-in tidak punya {source_name}; add-in tidak dapat dibandingkan."), version=str(version), source_name=str(source.name)), Message(N_("Jalankan: \"{interpreter}\" -m pip install --force-reinstall xlwings, lalu kinerja-xl addin install."), interpreter=str(interpreter))))
        elif stale:
            checks.append(Check("xlwings-version", False, Message(N_(
                "Berkas add-in dibuat dengan versi xlwings atau kinerja-xl lain daripada Python add-in "
                "(xlwings {version}): {files}"), version=str(version), files=", ".join(p.name for p in stale)),
                REINSTALL))
        else:
            checks.append(Check("xlwings-version", True, Message(N_("Berkas add-in cocok dengan xlwings {version} dan kinerja-xl ini."), version=str(version))))

    # 6. the kept Python (xlwings' "Use UDF Server") can be started: its DLL is where the VBA loads it from
    checks.append(_udf_server_check(installed, missing, versions, interpreter, platform, dll_folders))
    return checks


def _udf_server_check(installed: list[Path], missing: list[str], versions, interpreter: str | None, platform: str,
                      dll_folders: Sequence[Path] | None) -> Check:
    if not installed or missing:
        return Check("udf-server", None, N_("Tidak diperiksa: berkas add-in tidak lengkap."))
    try:
        server = all(addin_build.addin_settings(p).get(addin_build.UDF_SERVER_KEY) is True for p in installed)
    except (OSError, ValueError, KeyError, StopIteration, zipfile.BadZipFile):
        server = False
    if not server:
        return Check("udf-server", True, N_("Add-in tidak memakai server Python xlwings: setiap klik memulai Python baru."))
    if not platform.startswith("win"):
        return Check("udf-server", True, N_("Server Python xlwings hanya berlaku di Windows; di sini setiap klik memulai "
                                            "Python baru."))
    if versions is None or not interpreter:
        return Check("udf-server", None, N_("Tidak diperiksa: pemeriksaan sebelumnya gagal."))
    version = versions[0]
    names = [f"xlwings64-{version}.dll", f"xlwings32-{version}.dll"]
    folders = list(dll_folders) if dll_folders is not None else [Path(interpreter).parent, Path(interpreter).parent.parent]
    found = next((f / n for f in folders for n in names if (f / n).is_file()), None)
    if found is not None:
        return Check("udf-server", True, Message(N_("Server Python xlwings siap (klik kedua dan seterusnya lebih cepat): "
                                                    "{found}."), found=str(found)))
    where = ", ".join(str(f) for f in folders)
    return Check("udf-server", False, Message(N_(
        "Add-in memakai server Python xlwings, tetapi {dll} tidak ada di {where}: Excel akan menampilkan "
        "\"Could not load {dll}\"."), dll=names[0], where=where), Message(N_(
        "Jalankan: \"{interpreter}\" -m pip install --force-reinstall xlwings (tanpa --user), "
        "atau pasang tanpa server: kinerja-xl addin install --no-udf-server"), interpreter=str(interpreter)))


def _stale(installed: list[Path], source: Path) -> list[Path] | None:
    """The installed files that differ from a fresh build from ``source`` (None: no source to build from)."""
    if not source.is_file():
        return None
    stale = []
    with tempfile.TemporaryDirectory(prefix="kinerja-xl-doctor-") as tmp:
        for path, button in zip(installed, addin_build.BUTTONS):
            try:
                # built with or without xlwings' "Use UDF Server" (install --no-udf-server): compare like with like
                udf_server = addin_build.addin_settings(path).get(addin_build.UDF_SERVER_KEY) is True
                fresh = addin_build.build_one(button, Path(tmp), source, udf_server).read_bytes()
                same = path.read_bytes() == fresh
            except (OSError, ValueError, zipfile.BadZipFile):
                same = False
            if not same:
                stale.append(path)
    return stale


def healthy(checks: Sequence[Check]) -> bool:
    return all(c.ok for c in checks)


def report_lines(checks: Sequence[Check], lang: str = "id") -> list[str]:
    """One line per check (✓ passed, ✗ failed, – not checked), the fix indented under a failure."""
    out = []
    for c in checks:
        mark = "✓" if c.ok else ("–" if c.ok is None else "✗")
        out.append(f"{mark} {c.text(lang)}")
        if c.ok is False and c.fix_text(lang):
            out.append("    " + translate(N_("Perbaikan: {fix}"), lang).format(fix=c.fix_text(lang)))
    if healthy(checks):
        out.append(translate(N_("Add-in siap: buka ulang Excel, tab \"Kinerja\" berisi Periksa, Hitung, Bersihkan."), lang))
    return out
