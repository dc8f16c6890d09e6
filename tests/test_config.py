"""Settings from kinerja-xl.toml or pyproject.toml [tool.kinerja-xl]; command-line options win."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from budget_books import realisasi, seed_sheets, write_xlsx
from kinerja_xl.cli import app
from kinerja_xl.config import Config, ConfigError, load_config

runner = CliRunner()


def concise_codes(output: str) -> list[str]:
    return [line.split(": ")[1].split()[0] for line in output.splitlines() if ": KX" in line]


@pytest.fixture()
def seed(tmp_path):
    return write_xlsx(tmp_path / "laporan.xlsx", seed_sheets())


def test_without_settings_every_rule_runs(seed):
    out = runner.invoke(app, ["validate", str(seed), "-f", "concise"]).output
    assert concise_codes(out) == ["KX111", "KX301", "KX301", "KX301"]


def test_kinerja_xl_toml_beside_the_workbook(seed):
    (seed.parent / "kinerja-xl.toml").write_text('ignore = ["KX301"]\nlang = "en"\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(seed), "-f", "concise"])
    assert concise_codes(result.output) == ["KX111"]
    assert "did you mean" in result.output


def test_pyproject_tool_section_in_a_parent_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.kinerja-xl]\nselect = ["KX3"]\nfail_on = "warning"\n', encoding="utf-8")
    sub = tmp_path / "tw3"
    sub.mkdir()
    seed = write_xlsx(sub / "laporan.xlsx", seed_sheets())
    assert concise_codes(runner.invoke(app, ["validate", str(seed), "-f", "concise"]).output) == ["KX301"] * 3
    over = write_xlsx(sub / "lebih.xlsx", {"R": realisasi([["1", "Sub", "100", "120", "(20)"]])})
    assert runner.invoke(app, ["validate", str(over)]).exit_code == 1  # fail_on = warning from the settings


def test_a_pyproject_without_our_section_is_passed_over(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "lain"\n', encoding="utf-8")
    assert load_config(near=tmp_path) == Config()


def test_command_line_options_win_over_the_file(seed):
    (seed.parent / "kinerja-xl.toml").write_text('select = ["KX1"]\n', encoding="utf-8")
    out = runner.invoke(app, ["validate", str(seed), "-f", "concise", "--select", "KX3"]).output
    assert concise_codes(out) == ["KX301"] * 3


def test_select_and_ignore_by_rule_name(seed):
    (seed.parent / "kinerja-xl.toml").write_text('ignore = ["sisa-identity"]\n', encoding="utf-8")
    assert concise_codes(runner.invoke(app, ["validate", str(seed), "-f", "concise"]).output) == ["KX111"]


def test_explicit_config_file(seed, tmp_path):
    cfg = tmp_path / "lain.toml"
    cfg.write_text('ignore = ["KX1"]\n', encoding="utf-8")
    out = runner.invoke(app, ["validate", str(seed), "-f", "concise", "--config", str(cfg)]).output
    assert concise_codes(out) == ["KX301"] * 3


def test_a_bad_settings_file_is_exit_2_with_a_message(seed):
    (seed.parent / "kinerja-xl.toml").write_text('ignor = ["KX301"]\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(seed)])
    assert result.exit_code == 2
    assert "ignor" in result.output and "Traceback" not in result.output
    with pytest.raises(ConfigError):
        load_config(near=seed)
    (seed.parent / "kinerja-xl.toml").write_text('fail_on = "fatal"\n', encoding="utf-8")
    assert runner.invoke(app, ["validate", str(seed)]).exit_code == 2


def test_percent_tolerance_applies_to_unrounded_percentages(tmp_path):
    head = ["NO", "URAIAN", "PAGU", "REALISASI", "% SERAPAN"]
    path = write_xlsx(tmp_path / "p.xlsx", {"R": realisasi([["1", "Sub", "600.000", "500.000", 0.83341234]], head)})
    assert concise_codes(runner.invoke(app, ["validate", str(path), "-f", "concise"]).output) == ["KX302"]
    (tmp_path / "kinerja-xl.toml").write_text("percent_tolerance = 0.01\n", encoding="utf-8")
    assert concise_codes(runner.invoke(app, ["validate", str(path), "-f", "concise"]).output) == []
