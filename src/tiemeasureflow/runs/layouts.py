"""What a bulk write of runs, measurements and the device index holds, taken from the models."""

from __future__ import annotations

from ..kit.bulk import Layout
from ..models import Measurement, Run, TestedDut

RUNS = Layout(Run.__table__)
MEASUREMENTS = Layout(Measurement.__table__)
DEVICES = Layout(TestedDut.__table__, leave_out=("id",))  # the index numbers its own rows
