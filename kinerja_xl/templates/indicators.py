"""Template and example builders for the indicators tables."""
