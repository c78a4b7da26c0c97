"""Unit history: every run of one device (part number + serial) across stations, imports and HardPy stands."""
