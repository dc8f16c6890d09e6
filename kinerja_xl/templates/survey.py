"""Template and example builders for the survey tables."""
