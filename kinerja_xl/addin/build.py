"""Build and install the Excel add-in files.

VBA cannot be written with Excel's own tools on Linux, so we never touch it:
each button is its own copy of xlwings' ``quickstart_addin_ribbon.xlam``
(the file ``xlwings quickstart NAME --addin --ribbon`` copies), with only the
ribbon part ``customUI/customUI.xml`` replaced. Its VBA ``RunMain`` imports
the Python module named like the .xlam file and calls ``main()``, so the file
``kinerja_xl.addin.periksa.xlam`` runs ``kinerja_xl.addin.periksa.main()``.
The three files share one "Kinerja" tab and group through ``idQ`` in one XML
namespace (see ``customUI.xml``).

The other route, generating ``vbaProject.bin`` from .bas sources with the
``ms-ovba`` package (0.0.1), was tried: olevba reads its output back, but it
has no class modules (xlwings' ``Dictionary.cls`` is needed on the Mac),
hard-codes Office 16 reference paths, and whether Excel loads such a project
cannot be checked on Linux. The VBA that xlwings ships is what every
``xlwings quickstart`` user runs.

The add-in carries one setting of its own: xlwings' ``USE UDF SERVER``, in
the add-in's configuration sheet ``myaddin.conf`` (the quickstart ships it as
``_myaddin.conf``, inactive, with every setting blank; ours holds only this
one, so the interpreter still comes from the user's settings file that
``install`` writes). With it, RunPython on Windows runs in one Python kept
alive between presses (xlwings' COM server) instead of starting a fresh one
per press: from the second press on, nothing is imported or loaded again.
``build(udf_server=False)`` leaves the sheet as xlwings ships it. See the
README's add-in section for what the setting costs.

The build is reproducible: parts keep xlwings' order, every zip entry gets
the same fixed timestamp, and the bytes depend only on the installed xlwings
version and our ``customUI.xml``. The VBA calls ``xlwings<bits>-<version>.dll``
of the installed xlwings package, so build (``addin install`` does) with the
xlwings version that Excel's Python will use.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
CUSTOM_UI = HERE / "customUI.xml"
CUSTOM_UI_PART = "customUI/customUI.xml"
CUSTOM_UI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed, so that two builds give the same bytes
# PROJECT_NAME of the quickstart add-in's VBA: its settings file is
# %USERPROFILE%\.myaddin\myaddin.conf (tests check the VBA still says so).
VBA_PROJECT_NAME = "myaddin"
# The add-in's configuration sheet: the VBA's GetConfig reads ThisWorkbook's sheet of this name
# (before the user's settings file); the quickstart ships it renamed with a leading "_", i.e. inactive.
CONF_SHEET = f"{VBA_PROJECT_NAME}.conf"
UDF_SERVER_KEY = "USE UDF SERVER"
WORKBOOK_PART = "xl/workbook.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Button:
    key: str  # the button's idQ local name in customUI.xml
    module: str  # the Python module the add-in's RunMain imports

    @property
    def filename(self) -> str:
        return f"{self.module}.xlam"


BUTTONS = (
    Button("Periksa", "kinerja_xl.addin.periksa"),
    Button("Hitung", "kinerja_xl.addin.hitung"),
    Button("Bersihkan", "kinerja_xl.addin.bersihkan"),
)


def quickstart_addin() -> Path:
    """xlwings' ribbon add-in template, shipped inside the xlwings package."""
    import xlwings

    path = Path(xlwings.__file__).resolve().parent / "quickstart_addin_ribbon.xlam"
    if not path.is_file():
        raise FileNotFoundError(f"{path} tidak ada: pasang ulang xlwings (pip install --force-reinstall xlwings).")
    return path


def ribbon_xml(button: Button, template: Path = CUSTOM_UI) -> bytes:
    """customUI.xml with only ``button`` left in the shared group."""
    parser = etree.XMLParser(remove_comments=True, resolve_entities=False, no_network=True)
    root = etree.parse(str(template), parser).getroot()
    kept = 0
    for el in list(root.iter(f"{{{CUSTOM_UI_NS}}}button")):
        if el.get("idQ", "").split(":")[-1] == button.key:
            kept += 1
        else:
            el.getparent().remove(el)
    if kept != 1:
        raise ValueError(f"{template}: tombol {button.key!r} harus ada tepat satu kali (ditemukan {kept}).")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _xml(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def _tostring(root: etree._Element) -> bytes:
    # the declaration as Excel writes it (double quotes), then the element as parsed
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + etree.tostring(root, encoding="UTF-8")


def udf_server_parts(src: zipfile.ZipFile) -> dict[str, bytes]:
    """The workbook and sheet parts that turn the quickstart's inactive ``_myaddin.conf`` sheet into an
    active ``myaddin.conf`` holding only ``USE UDF SERVER = TRUE``."""
    workbook = _xml(src.read(WORKBOOK_PART))
    sheets = [el for el in workbook.iter(f"{{{MAIN_NS}}}sheet") if el.get("name") in ("_" + CONF_SHEET, CONF_SHEET)]
    if len(sheets) != 1:
        raise ValueError(f"{WORKBOOK_PART}: lembar {CONF_SHEET} tidak ada; versi xlwings ini tidak didukung.")
    sheet = sheets[0]
    sheet.set("name", CONF_SHEET)
    rel_id = sheet.get(f"{{{REL_NS}}}id")
    rels = _xml(src.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
    part = "xl/" + target.lstrip("/").removeprefix("xl/")
    ws = _xml(src.read(part))
    data = ws.find(f"{{{MAIN_NS}}}sheetData")
    for row in list(data):
        data.remove(row)
    # one row, so that the VBA's End(xlDown) stops at it: A1 the key, B1 a boolean TRUE (as xlwings' own rows)
    row = etree.SubElement(data, f"{{{MAIN_NS}}}row", r="1", spans="1:2")
    key = etree.SubElement(row, f"{{{MAIN_NS}}}c", r="A1", t="inlineStr")
    etree.SubElement(etree.SubElement(key, f"{{{MAIN_NS}}}is"), f"{{{MAIN_NS}}}t").text = UDF_SERVER_KEY
    value = etree.SubElement(row, f"{{{MAIN_NS}}}c", r="B1", t="b")
    etree.SubElement(value, f"{{{MAIN_NS}}}v").text = "1"
    dimension = ws.find(f"{{{MAIN_NS}}}dimension")
    if dimension is not None:
        dimension.set("ref", "A1:B1")
    return {WORKBOOK_PART: _tostring(workbook), part: _tostring(ws)}


def addin_settings(path: Path) -> dict[str, str | bool]:
    """The settings the add-in file carries in its ``myaddin.conf`` sheet (key upper-cased, as the VBA reads them)."""
    with zipfile.ZipFile(path) as z:
        workbook = _xml(z.read(WORKBOOK_PART))
        sheet = next((el for el in workbook.iter(f"{{{MAIN_NS}}}sheet") if el.get("name") == CONF_SHEET), None)
        if sheet is None:
            return {}
        rels = _xml(z.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == sheet.get(f"{{{REL_NS}}}id"))
        ws = _xml(z.read("xl/" + target.lstrip("/").removeprefix("xl/")))
    cells = {c.get("r"): c for c in ws.iter(f"{{{MAIN_NS}}}c")}
    out: dict[str, str | bool] = {}
    r = 1
    while f"A{r}" in cells:  # the VBA reads column A down to the first blank
        key = "".join(cells[f"A{r}"].itertext()).upper()
        cell = cells.get(f"B{r}")
        text = "".join(cell.itertext()) if cell is not None else ""
        out[key] = (text == "1") if cell is not None and cell.get("t") == "b" else text
        r += 1
    return out


def build_one(button: Button, out_dir: Path, source: Path | None = None, udf_server: bool = True) -> Path:
    source = source or quickstart_addin()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / button.filename
    tmp = target.with_name(target.name + ".tmp")
    ui = ribbon_xml(button)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        if CUSTOM_UI_PART not in names:
            raise ValueError(f"{source}: bagian {CUSTOM_UI_PART} tidak ada; versi xlwings ini tidak didukung.")
        replaced = {CUSTOM_UI_PART: ui, **(udf_server_parts(src) if udf_server else {})}
        for name in names:
            data = replaced[name] if name in replaced else src.read(name)
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data, compresslevel=9)
    os.replace(tmp, target)
    return target


def build(out_dir: Path, udf_server: bool = True) -> list[Path]:
    """Write one .xlam per button into ``out_dir``; returns their paths.

    ``udf_server``: the files carry xlwings' ``USE UDF SERVER`` setting (one Python kept alive between presses).
    """
    source = quickstart_addin()
    return [build_one(b, Path(out_dir), source, udf_server) for b in BUTTONS]


# --- install -----------------------------------------------------------------------------------------------


class InstallError(Exception):
    """The add-in could not be installed here; the message is for the user (Indonesian)."""


def settings_file() -> Path:
    """The user settings file that the add-in's VBA reads (INTERPRETER_WIN / _MAC)."""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / f"{VBA_PROJECT_NAME}.conf"
    return Path(os.environ.get("USERPROFILE", str(Path.home()))) / f".{VBA_PROJECT_NAME}" / f"{VBA_PROJECT_NAME}.conf"


def write_settings(path: Path, interpreter: str) -> None:
    """Point the add-in at this Python (``"INTERPRETER_WIN","C:\\...\\python.exe"``), keeping other lines."""
    key = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    lines = [ln for ln in lines if not ln.upper().startswith(f'"{key}"')]
    lines.append(f'"{key}","{interpreter}"')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def install(platform: str | None = None, run=subprocess.run, verify=None, udf_server: bool = True) -> list[str]:
    """Build the add-ins, hand each to ``xlwings addin install`` (Windows, macOS), then verify the setup.

    Returns the lines to show the user. Raises ``InstallError`` where Excel
    does not exist (Linux), xlwings could not install a file, or the
    verification (``doctor.diagnose``: the Python, kinerja-xl importable from
    it, the files in XLSTART, the xlwings version) finds a broken link; the
    message then says what is wrong and how to fix it.
    """
    from kinerja_xl.addin import doctor

    verify = verify or doctor.diagnose
    platform = platform or sys.platform
    if not (platform.startswith("win") or platform == "darwin"):
        raise InstallError(
            "Add-in Excel hanya dapat dipasang di Windows atau macOS, tempat Microsoft Excel berjalan. "
            "Di sistem ini gunakan perintah baris: kinerja-xl periksa LAPORAN.xlsx (salinan bertanda) "
            "atau kinerja-xl validate LAPORAN.xlsx."
        )
    out = []
    folder = Path(tempfile.mkdtemp(prefix="kinerja-xl-addin-"))
    try:
        for path in build(folder, udf_server):
            proc = run([sys.executable, "-m", "xlwings.cli", "addin", "install", "--file", str(path)],
                       capture_output=True, text=True)
            said = ((proc.stdout or "") + (proc.stderr or "")).strip()
            if proc.returncode != 0 or "Error" in said:
                raise InstallError(f"xlwings tidak dapat memasang {path.name}: {said or proc.returncode}. "
                                   "Tutup Excel lalu jalankan perintah ini lagi.")
            out.append(f"Terpasang: {path.name}")
        if platform == "darwin":
            run([sys.executable, "-m", "xlwings.cli", "runpython", "install"], capture_output=True, text=True)
        write_settings(settings_file(), sys.executable)
        out.append(f"Python untuk add-in: {sys.executable} (dicatat di {settings_file()})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    checks = verify(platform=platform)
    lines = doctor.report_lines(checks)
    if not doctor.healthy(checks):
        raise InstallError("Add-in terpasang, tetapi belum siap dipakai:\n" + "\n".join(lines))
    out.extend(lines)
    return out
