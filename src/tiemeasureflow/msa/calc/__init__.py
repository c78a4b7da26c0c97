"""Measurement system analysis formulas: pure numpy/scipy, no database (like `spc/`)."""

from .gauge import GaugeStudyError, linearity_study, type1_study
from .grr import GrrInputError, grr_crossed

__all__ = ["GaugeStudyError", "GrrInputError", "grr_crossed", "linearity_study", "type1_study"]
