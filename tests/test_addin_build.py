"""The built .xlam files: parts, ribbon XML, the VBA the ribbon calls, the Python it imports, install."""

from __future__ import annotations

import importlib
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from kinerja_xl.addin import build as addin_build

NS = {"ui": addin_build.CUSTOM_UI_NS}
EXT_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[Path]:
    return addin_build.build(tmp_path_factory.mktemp("addin"))


def vba_modules(path: Path) -> dict[str, str]:
    """Module name -> VBA source, as olevba reads it from the file."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        assert parser.detect_vba_macros(), f"{path.name}: olevba finds no VBA"
        return {Path(vba_filename).stem: code for _, _, vba_filename, code in parser.extract_all_macros()}
    finally:
        parser.close()


def test_one_file_per_button_named_after_its_module(built):
    assert [p.name for p in built] == [b.filename for b in addin_build.BUTTONS]
    assert [p.name for p in built] == ["kinerja_xl.addin.periksa.xlam", "kinerja_xl.addin.hitung.xlam",
                                       "kinerja_xl.addin.bersihkan.xlam"]


SETTINGS_PARTS = {addin_build.WORKBOOK_PART, "xl/worksheets/sheet1.xml"}  # the configuration sheet's name and rows


@pytest.mark.parametrize("udf_server", [True, False])
def test_parts_are_the_quickstart_addin_but_the_ribbon_and_the_settings_sheet(built, udf_server, tmp_path):
    source = zipfile.ZipFile(addin_build.quickstart_addin())
    files = built if udf_server else addin_build.build(tmp_path, udf_server=False)
    for path in files:
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
            assert z.namelist() == source.namelist()
            for name in z.namelist():
                if name != addin_build.CUSTOM_UI_PART and not (udf_server and name in SETTINGS_PARTS):
                    assert z.read(name) == source.read(name), f"{path.name}: {name} changed"
            assert z.read(addin_build.CUSTOM_UI_PART) != source.read(addin_build.CUSTOM_UI_PART)
            types = etree.fromstring(z.read("[Content_Types].xml"))
            overrides = {o.get("PartName"): o.get("ContentType") for o in types}
            assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
            assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
            rels = etree.fromstring(z.read("_rels/.rels"))
            assert any(r.get("Type") == EXT_REL and r.get("Target") == addin_build.CUSTOM_UI_PART for r in rels)


def test_build_is_reproducible(built, tmp_path):
    again = addin_build.build(tmp_path)
    for a, b in zip(built, again):
        assert a.read_bytes() == b.read_bytes()


def ribbon(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(addin_build.CUSTOM_UI_PART))  # raises if not well-formed


def test_ribbon_one_shared_kinerja_tab_one_button_each(built):
    tabs, groups, buttons = set(), set(), []
    for path, spec in zip(built, addin_build.BUTTONS):
        root = ribbon(path)
        assert root.tag == f"{{{addin_build.CUSTOM_UI_NS}}}customUI"
        [tab] = root.findall(".//ui:tab", NS)
        [group] = tab.findall("ui:group", NS)
        [button] = group.findall("ui:button", NS)
        # idQ values are qualified names: the prefix must resolve to one shared namespace URI
        prefix, local = tab.get("idQ").split(":")
        tabs.add((root.nsmap[prefix], local, tab.get("label")))
        prefix, local = group.get("idQ").split(":")
        groups.add((root.nsmap[prefix], local, group.get("label")))
        buttons.append(button)
        assert button.get("label") == spec.key
        assert button.get("imageMso") and button.get("screentip") and button.get("supertip")
    assert tabs == {("urn:kinerja-xl:ribbon", "KinerjaTab", "Kinerja")}
    assert len(groups) == 1
    assert [b.get("label") for b in buttons] == ["Periksa", "Hitung", "Bersihkan"]
    assert len({b.get("idQ") for b in buttons}) == 3
    assert [b.get("imageMso") for b in buttons] == ["ErrorChecking", "AutoSum", "ClearFormats"]


def test_every_onaction_is_a_macro_in_the_files_vba(built):
    for path in built:
        modules = vba_modules(path)
        for button in ribbon(path).iter(f"{{{addin_build.CUSTOM_UI_NS}}}button"):
            module, _, macro = button.get("onAction").rpartition(".")
            assert module in modules, f"{path.name}: no VBA module {module!r} (has {sorted(modules)})"
            # a ribbon callback takes the control as its one argument
            assert re.search(rf"^\s*(Public\s+)?Sub\s+{macro}\s*\(\s*control\s+As\s+IRibbonControl\s*\)",
                             modules[module], re.M | re.I), f"{path.name}: {module}.{macro} missing"


def test_vba_imports_the_module_named_like_the_file_and_it_exists(built):
    for path in built:
        code = vba_modules(path)["RibbonMyAddin"]
        # RunMain: mymodule = the workbook name without its last extension; then import it and call main()
        assert re.search(r'mymodule\s*=\s*Left\(ThisWorkbook\.Name,\s*\(InStrRev\(ThisWorkbook\.Name,\s*"\."', code)
        assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in code
        module_name = path.name[: path.name.rindex(".")]
        module = importlib.import_module(module_name)
        assert callable(module.main)


def test_the_caller_is_the_users_workbook_not_the_addin(built):
    """xw.Book.caller() must be the workbook the user is looking at: the add-in's VBA passes ActiveWorkbook."""
    code = vba_modules(built[0])["xlwings"]
    assert '" --wb=" & """" & ActiveWorkbook.Name & """ --from_xl=1"' in code
    assert 'XLPy.SetAttr XLPy.Module("xlwings._xlwindows"), "BOOK_CALLER", ActiveWorkbook' in code


def test_vba_settings_name_and_no_licence_key_needed(built):
    code = vba_modules(built[0])["xlwings"]
    assert re.search(rf'PROJECT_NAME As String = "{addin_build.VBA_PROJECT_NAME}"', code)
    # the LICENSE_KEY is asked for only by embedded code, which we do not use
    runpython = code[code.index("Public Function RunPython"):]
    runpython = runpython[: runpython.index("End Function")]
    assert runpython.count("GetConfig(\"LICENSE_KEY\"") == 1
    assert re.search(r'If uses_embedded_code = True Then\s+licenseKey = GetConfig\("LICENSE_KEY"\)', runpython)


def test_install_on_linux_says_it_cannot(monkeypatch):
    from typer.testing import CliRunner

    from kinerja_xl.cli import app

    monkeypatch.setattr(addin_build.sys, "platform", "linux")
    result = CliRunner().invoke(app, ["addin", "install"])
    assert result.exit_code == 2
    assert "hanya dapat dipasang di Windows atau macOS" in result.output


def _fake_xlwings(xlstart: Path, calls: list, copy: bool = True):
    """``xlwings addin install --file X`` as on Windows: X is copied into the user's XLSTART folder."""
    import shutil

    class Done:
        returncode = 0
        stdout = "Successfully installed the xlwings add-in! "
        stderr = ""

    def run(cmd, **kw):
        if "--file" in cmd:
            path = Path(cmd[cmd.index("--file") + 1])
            assert zipfile.is_zipfile(path)  # built before xlwings copies it
            calls.append(path.name)
            if copy:
                xlstart.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, xlstart / path.name)
        return Done()

    return run


@pytest.mark.slow  # the verification runs this Python
def test_install_on_windows_hands_each_file_to_xlwings_and_verifies_the_setup(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))
    monkeypatch.setattr(addin_build.sys, "platform", "win32")
    conf = tmp_path / ".myaddin" / "myaddin.conf"
    conf.parent.mkdir()
    conf.write_text('"SHOW CONSOLE","False"\n"INTERPRETER_WIN","C:\\old\\python.exe"\n', encoding="utf-8")
    xlstart = tmp_path / "AppData" / "Microsoft" / "Excel" / "XLSTART"
    import xlwings

    from kinerja_xl.addin import doctor

    dlls = tmp_path / "Python311"  # where pip puts xlwings' DLL on Windows, beside python.exe
    dlls.mkdir()
    (dlls / f"xlwings64-{xlwings.__version__}.dll").write_bytes(b"MZ")
    lines = addin_build.install(run=_fake_xlwings(xlstart, calls),
                                verify=lambda platform: doctor.diagnose(platform=platform, dll_folders=[dlls]))
    assert calls == [b.filename for b in addin_build.BUTTONS]
    text = conf.read_text(encoding="utf-8").splitlines()
    assert text == ['"SHOW CONSOLE","False"', f'"INTERPRETER_WIN","{addin_build.sys.executable}"']
    # the end-to-end check ran for real: this Python imports the buttons' modules, the files match its xlwings,
    # the kept Python's DLL is found
    assert sum(line.startswith("✓") for line in lines) == 6
    assert any("Add-in siap" in line and "Kinerja" in line for line in lines)


def test_install_says_what_is_broken_when_the_files_did_not_arrive(monkeypatch, tmp_path):
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))
    monkeypatch.setattr(addin_build.sys, "platform", "win32")
    with pytest.raises(addin_build.InstallError) as info:
        addin_build.install(run=_fake_xlwings(tmp_path / "nowhere", [], copy=False))
    message = str(info.value)
    assert "belum siap" in message and "✗ Berkas add-in tidak ada di folder XLSTART" in message
    assert "kinerja_xl.addin.periksa.xlam" in message and "Perbaikan: " in message


def test_install_reports_an_xlwings_failure(monkeypatch, tmp_path):
    class Failed:
        returncode = 0
        stdout = "Error: Failed to install the add-in: If Excel is running, quit Excel and try again."
        stderr = ""

    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    with pytest.raises(addin_build.InstallError, match="Tutup Excel"):
        addin_build.install(platform="win32", run=lambda cmd, **kw: Failed())


def test_build_command_writes_the_files(tmp_path):
    from typer.testing import CliRunner

    from kinerja_xl.cli import app

    result = CliRunner().invoke(app, ["addin", "build", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(b.filename for b in addin_build.BUTTONS)
    assert all(str(tmp_path / b.filename) in result.output for b in addin_build.BUTTONS)


# --------------------------------------------------------------------------- button order, keytips, tips


def _buttons(built):
    return [next(ribbon(p).iter(f"{{{addin_build.CUSTOM_UI_NS}}}button")) for p in built]


def merge_order(buttons, load_order):
    """The group Excel builds as it loads the files in ``load_order``: insertAfterQ/insertBeforeQ name a
    neighbour; a button whose neighbour is not there yet goes to the end."""
    group = []
    for i in load_order:
        b = buttons[i]
        anchors = [(k, b.get(k)) for k in ("insertAfterQ", "insertBeforeQ") if b.get(k)]
        assert len(anchors) == 1, "one anchor per button"
        kind, target = anchors[0]
        if target in group:
            at = group.index(target)
            group.insert(at + 1 if kind == "insertAfterQ" else at, b.get("idQ"))
        else:
            group.append(b.get("idQ"))
    return [q.split(":")[1] for q in group]


def test_button_order_does_not_depend_on_load_order(built):
    import itertools

    buttons = _buttons(built)
    wanted = ["Periksa", "Hitung", "Bersihkan"]
    names = [b.filename for b in addin_build.BUTTONS]
    alphabetical = sorted(range(3), key=lambda i: names[i])  # how Excel opens XLSTART
    assert merge_order(buttons, alphabetical) == wanted
    good = [order for order in itertools.permutations(range(3)) if merge_order(buttons, order) == wanted]
    assert len(good) == 5  # one anchor each cannot order all six; the one left is Bersihkan, Periksa, Hitung
    # the anchors name buttons of the same shared group
    ids = {b.get("idQ") for b in buttons}
    assert all((b.get("insertAfterQ") or b.get("insertBeforeQ")) in ids for b in buttons)


def test_keytips_and_tips(built):
    buttons = _buttons(built)
    assert [b.get("keytip") for b in buttons] == ["P", "H", "B"]
    tab = ribbon(built[0]).find(".//ui:tab", NS)
    assert tab.get("keytip") == "K"
    for b in buttons:
        assert "Undo" in b.get("supertip") and len(b.get("supertip")) <= 1024 and len(b.get("screentip")) <= 1024
        assert f"Alt, K, {b.get('keytip')}" in b.get("screentip")
    hitung = buttons[1].get("supertip")
    assert "Menulis nilai" in hitung and "bukan rumus" in hitung


# --------------------------------------------------------------------------- one Python kept alive between presses


def test_built_addin_carries_the_udf_server_setting_and_nothing_else(built):
    from python_calamine import CalamineWorkbook

    for path in built:
        assert addin_build.addin_settings(path) == {"USE UDF SERVER": True}
        # a second reader sees the same sheet: the name the VBA looks up, one row (key, boolean TRUE)
        book = CalamineWorkbook.from_path(str(path))
        assert book.sheet_names == [addin_build.CONF_SHEET]
        assert book.get_sheet_by_name(addin_build.CONF_SHEET).to_python() == [["USE UDF SERVER", True]]


def test_without_the_udf_server_the_settings_sheet_stays_inactive(tmp_path):
    for path in addin_build.build(tmp_path, udf_server=False):
        assert addin_build.addin_settings(path) == {}
        with zipfile.ZipFile(path) as z:
            assert b'name="_myaddin.conf"' in z.read(addin_build.WORKBOOK_PART)


def test_the_vba_reads_the_setting_from_the_addins_own_sheet_before_the_users_file(built):
    """What makes the sheet count: RunPython asks GetConfig for USE UDF SERVER and, when true, runs the command in
    the COM server (XLPy.Exec) instead of a new Python; GetConfig looks at ThisWorkbook's PROJECT_NAME.conf sheet
    before the settings file that install writes (which holds the interpreter, not this key)."""
    code = vba_modules(built[0])["xlwings"]
    runpython = code[code.index("Public Function RunPython"):]
    runpython = runpython[: runpython.index("End Function")]
    assert 'OPTIMIZED_CONNECTION = GetConfig("USE UDF SERVER", False)' in runpython
    assert re.search(r'If OPTIMIZED_CONNECTION = True Then\s+XLPy\.SetAttr XLPy\.Module\("xlwings\._xlwindows"\), '
                     r'"BOOK_CALLER", ActiveWorkbook\s+On Error GoTo err_handling\s+XLPy\.Exec', runpython)
    getconfig = code[code.index("Function GetConfig(configKey"):]
    getconfig = getconfig[: getconfig.index("End Function")]
    assert getconfig.index('SheetExists(ThisWorkbook, PROJECT_NAME & ".conf")') < getconfig.index("GetConfigFilePath()")
    assert 'Set sht = wb.Sheets(PROJECT_NAME & ".conf")' in code
    assert addin_build.CONF_SHEET == f"{addin_build.VBA_PROJECT_NAME}.conf"


def test_build_and_install_commands_can_leave_the_server_off(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kinerja_xl.cli import app

    result = CliRunner().invoke(app, ["addin", "build", "--output", str(tmp_path / "off"), "--no-udf-server"])
    assert result.exit_code == 0, result.output
    assert all(addin_build.addin_settings(p) == {} for p in (tmp_path / "off").iterdir())
    result = CliRunner().invoke(app, ["addin", "build", "--output", str(tmp_path / "on")])
    assert all(addin_build.addin_settings(p) == {"USE UDF SERVER": True} for p in (tmp_path / "on").iterdir())
    seen = []
    monkeypatch.setattr(addin_build, "install", lambda udf_server=True: seen.append(udf_server) or ["ok"])
    assert CliRunner().invoke(app, ["addin", "install", "--no-udf-server"]).exit_code == 0
    assert CliRunner().invoke(app, ["addin", "install"]).exit_code == 0
    assert seen == [False, True]
