"""Computed values: moved to the engine (``kinerja_xl.kinds``); kept so existing imports work."""

from kinerja_xl.kinds import Computed, compute_all

__all__ = ["Computed", "compute_all"]
