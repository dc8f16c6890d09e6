"""Rules that compare tables with each other (auditors' checks)."""
