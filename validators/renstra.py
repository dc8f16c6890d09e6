"""renstra tables (filled in by the indicators issue)."""

SPECS: list = []
