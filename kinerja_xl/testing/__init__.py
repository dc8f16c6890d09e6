"""Test doubles and sample data for kinerja-xl's own tests, benchmarks and renderings.

Not part of the product: the wheel does not ship this package.
"""
