"""The value model of the demo processes: normal around a process mean, drift, shift effects, upsets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..measurements.judging import ToleranceLimits
from .catalog import Char

# How far an out-of-control episode moves the mean, in process sigmas.
UPSET_SIGMAS = 2.8


@dataclass(frozen=True)
class CharModel:
    """A characteristic of the current version with its process behaviour."""

    subtask_id: int
    characteristic_id: int
    version_id: int
    limits: ToleranceLimits
    char: Char

    @property
    def half_tolerance(self) -> float:
        """The catalogue's +/- tolerance (the process does not change when the drawing does)."""
        return self.char.tolerance

    @property
    def sigma(self) -> float:
        """Process standard deviation from the catalogue's capability."""
        return (self.char.tolerance if self.char.one_sided else 2 * self.char.tolerance) / (6 * self.char.behaviour.capability)

    def mean(self, progress: float, afternoon: bool, upset: bool) -> float:
        """The process mean at a point of the period (0..1), on a shift, during an upset or not."""
        b = self.char.behaviour
        if self.char.one_sided:
            centre = self.char.tolerance * 0.4
        else:
            share = b.offset + b.drift * progress + (b.shift_b_offset if afternoon else 0.0)
            centre = self.char.nominal + share * self.half_tolerance
        return centre + (UPSET_SIGMAS * self.sigma if upset else 0.0)


def draw_values(rng: np.random.Generator, models: list[CharModel], parts: int, progress: float,
                afternoon: bool, upsets: set[int]) -> np.ndarray:
    """A parts x characteristics matrix of measured values, rounded to the instrument's resolution."""
    means = np.array([m.mean(progress, afternoon, i in upsets) for i, m in enumerate(models)])
    sigmas = np.array([m.sigma for m in models])
    values = rng.normal(means, sigmas, size=(parts, len(models)))
    for i, m in enumerate(models):
        if m.char.one_sided:
            values[:, i] = np.abs(values[:, i])
    # Calipers and micrometers show a fixed number of decimals.
    return np.round(values, 4)
