"""Measurement system analysis: gauge studies over the pure formulas in `calc`."""
