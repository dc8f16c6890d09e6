"""Template and example builders for the budget tables."""
