"""The demo plant's gauge register (one gauge overdue, one due soon) and two finished gauge studies."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..gauges import service as gauges
from ..gauges.schemas import CalibrationCreate, GaugeCreate
from ..identity.principal import Actor
from ..models import Gauge, MsaStudy, User
from ..msa import service as studies
from ..msa.schemas import StudyCreate, StudyValue
from .plant import PlantIds

# code, name, kind, resolution, range, station, interval (days), days since the last calibration
GAUGES = (
    ("CAL-101", "Digital caliper 0-150 mm", "caliper", 0.01, (0, 150), "ST-LATHE-1", 365, 120),
    ("MIC-201", "Outside micrometer 25-50 mm", "micrometer", 0.001, (25, 50), "ST-LATHE-1", 180, 172),
    ("BORE-301", "Bore gauge 18-35 mm", "bore gauge", 0.001, (18, 35), "ST-MILL-2", 365, 390),
    ("HGT-401", "Height gauge 0-300 mm", "height gauge", 0.01, (0, 300), "ST-MILL-2", 365, 30),
    ("CMM-QA-01", "CMM program SHAFT-042", "cmm program", 0.0001, None, "ST-CMM-QA", 730, 200),
)
GRR_NAME = "MIC-201 gauge R&R, shaft bearing seat"
TYPE1_NAME = "CAL-101 type-1 study, 25 mm setting master"


def build(session: Session, ids: PlantIds, seed: int = 42) -> None:
    """Register the gauges with their calibration history and add the studies (once per plant)."""
    metrologist = session.scalar(select(User.id).where(User.username == "metrologist"))
    actor = Actor(metrologist, None, "demo")
    today = gauges.today()
    for code, name, kind, resolution, span, station, interval, age in GAUGES:
        if session.scalar(select(Gauge.id).where(Gauge.code == code)) is not None:
            continue
        gauges.create_gauge(session, GaugeCreate(
            code=code, name=name, kind=kind, resolution=resolution, range_min=span[0] if span else None,
            range_max=span[1] if span else None, unit="mm", station_id=ids.stations.get(station),
            calibration_interval_days=interval), actor)
        for back in (age + interval, age):  # the calibration before the last one, then the last one
            on = today - timedelta(days=back)
            gauges.add_calibration(session, code, CalibrationCreate(
                calibrated_on=on, result="pass", certificate_number=f"{code}-{on.year}-{back % 97:02d}",
                performed_by="Accredited lab"), actor)
    rng = np.random.default_rng(seed)
    if session.scalar(select(MsaStudy.id).where(MsaStudy.name == GRR_NAME)) is None:
        studies.create_study(session, StudyCreate(
            kind="grr_crossed", name=GRR_NAME, gauge_code="MIC-201", recipe_id=ids.recipes.get("SHAFT-042"),
            tolerance=0.05, values=_grr_readings(rng)), actor)
    if session.scalar(select(MsaStudy.id).where(MsaStudy.name == TYPE1_NAME)) is None:
        readings = np.round(25.0 + 0.002 + rng.normal(0, 0.004, 50), 2)
        studies.create_study(session, StudyCreate(
            kind="type1", name=TYPE1_NAME, gauge_code="CAL-101", reference=25.0, tolerance=0.2,
            values=[StudyValue(value=float(v)) for v in readings]), actor)


def _grr_readings(rng: np.random.Generator) -> list[StudyValue]:
    """10 parts x 3 appraisers x 3 trials on a 0.001 mm micrometer: parts spread over the tolerance."""
    parts = 40.0 + rng.normal(0, 0.008, 10)
    offsets = {"Rossi": 0.0, "Bianchi": 0.0006, "Verdi": -0.0004}
    return [StudyValue(part=p + 1, appraiser=a, trial=t + 1,
                       value=float(np.round(parts[p] + off + rng.normal(0, 0.0008), 3)))
            for a, off in offsets.items() for t in range(3) for p in range(10)]
