"""Measurements: judged values, insert-only; their lists, exports and the CSV sync (writes go through runs)."""
