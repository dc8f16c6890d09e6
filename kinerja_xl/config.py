"""Settings: ``[tool.kinerja-xl]`` in a pyproject.toml, or a ``kinerja-xl.toml``
beside the workbook (or in a parent folder). Command-line options win.

Example ``kinerja-xl.toml``::

    select = ["KX"]            # code prefixes or rule names
    ignore = ["KX104"]
    fail_on = "error"          # error | warning | info
    lang = "id"                # id | en
    percent_tolerance = 0.005  # when the printed decimals are unknown
    negative_polarity = "two-minus"   # or "inverse" (target / realisasi)
    predikat = [[91, "sangat tinggi"], [76, "tinggi"], [66, "sedang"], [51, "rendah"], [0, "sangat rendah"]]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_PREDIKAT = ((91.0, "sangat tinggi"), (76.0, "tinggi"), (66.0, "sedang"), (51.0, "rendah"), (0.0, "sangat rendah"))


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = "error"
    lang: str = "id"
    percent_tolerance: float = 0.005
    negative_polarity: str = "two-minus"
    predikat: tuple[tuple[float, str], ...] = DEFAULT_PREDIKAT
    source: str | None = None  # where the settings came from

    def merged(self, **overrides: Any) -> "Config":
        return replace(self, **{k: v for k, v in overrides.items() if v not in (None, ())})


class ConfigError(ValueError):
    pass


def _from_mapping(data: dict[str, Any], source: str) -> Config:
    known = {f.name for f in fields(Config)}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"{source}: pengaturan tidak dikenal / unknown setting: {', '.join(sorted(unknown))}")
    kw: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("select", "ignore"):
            kw[key] = tuple(value) if isinstance(value, list) else (value,)
        elif key == "predikat":
            kw[key] = tuple((float(lo), str(label)) for lo, label in value)
        else:
            kw[key] = value
    cfg = Config(**kw, source=source)
    if cfg.fail_on not in ("error", "warning", "info"):
        raise ConfigError(f"{source}: fail_on harus error, warning atau info")
    if cfg.negative_polarity not in ("two-minus", "inverse"):
        raise ConfigError(f"{source}: negative_polarity harus 'two-minus' atau 'inverse'")
    return cfg


def load_config(near: Path | None = None, explicit: Path | None = None) -> Config:
    """Explicit file, else the nearest kinerja-xl.toml / pyproject.toml from ``near`` upward."""
    if explicit is not None:
        return _load_file(explicit) or Config()
    start = (near or Path.cwd()).resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        for name in ("kinerja-xl.toml", "pyproject.toml"):
            cfg = _load_file(folder / name)
            if cfg is not None:
                return cfg
    return Config()


def _load_file(path: Path) -> Config | None:
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: berkas pengaturan tidak dapat dibaca / cannot read settings: {exc}") from exc
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("kinerja-xl")
        if data is None:
            return None
    return _from_mapping(data, str(path))
