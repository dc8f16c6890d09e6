"""The pandera schemas of the table kinds, for your own pipelines.

Each schema checks a table's arithmetic on a pandas frame indexed by Excel row
(money in ``Int64`` sen, percentages ``Float64`` in percent units), with the
column names of the kind's vocabulary (``SPECS``)::

    from kinerja_validators.schemas import realisasi
    realisasi.validate(frame, lazy=True)   # raises pandera's SchemaErrors; failure_cases["index"] = Excel rows

``yaml(kind)`` writes a schema as pandera YAML (``kinerja-xl schema KIND``).
The identity checks are registered pandera check methods (``pa.Check.kx_…``),
so the YAML reads back with ``pandera.io.from_yaml`` once this module is
imported. Building a schema imports pandera (~0,3–1 s): attributes are made
on first access.
"""

from __future__ import annotations

import functools
from typing import Any

KINDS = ("realisasi", "refocusing", "pk_program", "iku", "perbandingan", "renstra", "skm", "skm_responden", "lra", "perubahan",
         "skm_vs_responden", "iku_vs_skm", "skm_responden_ringkasan")


def _build(kind: str) -> Any:
    import importlib

    module, name = _BUILDERS[kind]
    return getattr(importlib.import_module(f"kinerja_validators.{module}"), name)()


_BUILDERS = {
    "realisasi": ("realisasi.schema", "realisasi"), "refocusing": ("realisasi.schema", "refocusing"),
    "pk_program": ("pk", "pandera_schema"), "iku": ("iku", "pandera_schema"),
    "perbandingan": ("perbandingan", "pandera_schema"), "renstra": ("renstra", "pandera_schema"),
    "skm": ("skm", "recap_schema"), "skm_responden": ("skm", "responses_schema"),
    "lra": ("lra.schema", "lra"), "perubahan": ("lra.schema", "perubahan"),
    # across two tables: the survey recap against its per-respondent table (KX611), the IKU row against the survey (KX890)
    "skm_vs_responden": ("skm.schema", "raw_vs_recap"), "iku_vs_skm": ("skm.schema", "iku_vs_survey"),
    # the summary rows under a per-respondent export (Σ, NRR, NRR tertimbang, IKM) against its answers (KX614)
    "skm_responden_ringkasan": ("skm.schema", "raw_summary"),
}


@functools.lru_cache(maxsize=None)
def schema(kind: str) -> Any:
    """The pandera ``DataFrameSchema`` of a table kind (``KINDS``)."""
    if kind not in _BUILDERS:
        raise KeyError(f"no schema for table kind {kind!r}; known: {', '.join(KINDS)}")
    return _build(kind)


def yaml(kind: str) -> str:
    """A kind's schema as pandera YAML (needs pyyaml)."""
    return schema(kind).to_yaml()


def __getattr__(name: str) -> Any:
    if name in KINDS:
        return schema(name)
    raise AttributeError(name)
