"""What the demo plant is made of: stations, people, parts, characteristics and how their processes behave."""

from __future__ import annotations

from dataclasses import dataclass, field

STATIONS = [
    ("ST-LATHE-1", "Lathe cell 1 - shafts", "Hall A, bay 2"),
    ("ST-MILL-2", "Milling cell 2 - housings", "Hall A, bay 5"),
    ("ST-CMM-QA", "Quality lab CMM", "Quality lab"),
]

# (username, password, display name, roles, admin, language)
ACCOUNTS = [
    ("admin", "demo-admin", "Anna Admin", [], True, "en"),
    ("maker", "demo-maker", "Marco Maker", ["Maker"], False, "it"),
    ("operator", "demo-operator", "Olga Operator", ["MeasurementTec"], False, "en"),
    ("metrologist", "demo-metrologist", "Mario Metrologist", ["Metrologist"], False, "it"),
]
# Shift operators whose names appear in the history (they sign in like anyone else).
SHIFT_OPERATORS = [
    ("op.rossi", "Luca Rossi"), ("op.bianchi", "Sara Bianchi"), ("op.ferrari", "Paolo Ferrari"),
    ("op.colombo", "Giulia Colombo"), ("op.ricci", "Davide Ricci"), ("op.marino", "Elena Marino"),
]
SHIFT_OPERATOR_PASSWORD = "demo-shift-operator"


@dataclass(frozen=True)
class Behaviour:
    """How a characteristic's process behaves, in units of its tolerance half-width."""

    capability: float = 1.6  # Cp the process would have when centred
    offset: float = 0.0  # mean offset from nominal, as a share of the half tolerance
    drift: float = 0.0  # offset gained linearly over the whole period (tool wear)
    shift_b_offset: float = 0.0  # extra offset on the afternoon shift (another setter)


@dataclass(frozen=True)
class Char:
    """One characteristic (subtask) of a demo part."""

    marker: int
    description: str
    measurement_type: str
    nominal: float
    tolerance: float  # symmetric +/- tolerance
    unit: str = "mm"
    behaviour: Behaviour = field(default_factory=Behaviour)
    x: float = 0.5
    y: float = 0.5
    one_sided: bool = False  # form tolerances (flatness): only an upper limit, values >= 0


@dataclass(frozen=True)
class Part:
    """One demo recipe: a part with one or two tasks (drawings) and their characteristics."""

    code: str
    name: str
    description: str
    stations: tuple[str, ...]
    tasks: tuple[tuple[str, str, tuple[Char, ...]], ...]
    # (day of the period, change notes, marker to retighten, new tolerance): versions after v1
    revisions: tuple[tuple[int, str, int, float], ...] = ()
    parts_per_shift: int = 8
    hardpy: bool = False


PARTS = [
    Part(
        code="SHAFT-042", name="Drive shaft 42", description="Turned drive shaft, C45 steel",
        stations=("ST-LATHE-1", "ST-CMM-QA"), parts_per_shift=10, hardpy=True,
        tasks=(
            ("Turned diameters", "Measure the diameters with the digital caliper, part clamped in the V-block", (
                Char(1, "Bearing seat diameter", "diameter", 25.0, 0.05, x=0.22, y=0.30,
                     behaviour=Behaviour(capability=1.7, drift=0.75)),
                Char(2, "Shoulder diameter", "diameter", 32.0, 0.10, x=0.48, y=0.25),
                Char(3, "Overall length", "length", 180.0, 0.20, x=0.50, y=0.82,
                     behaviour=Behaviour(capability=1.4, shift_b_offset=0.35)),
            )),
            ("Keyway", "Keyway width and depth with the gauge blocks", (
                Char(1, "Keyway width", "length", 8.0, 0.036, x=0.70, y=0.40, behaviour=Behaviour(capability=1.2)),
                Char(2, "Keyway depth", "length", 4.0, 0.10, x=0.78, y=0.62),
            )),
        ),
        revisions=((30, "Bearing seat tolerance tightened after customer complaint", 1, 0.04),
                   (62, "Overall length tolerance widened per drawing rev C", 3, 0.25)),
    ),
    Part(
        code="FLANGE-110", name="Flange DN110", description="Milled flange with bolt circle",
        stations=("ST-MILL-2", "ST-CMM-QA"), parts_per_shift=6,
        tasks=(
            ("Flange dimensions", "Measure on the surface plate with the height gauge", (
                Char(1, "Outer diameter", "diameter", 110.0, 0.15, x=0.50, y=0.12),
                Char(2, "Bolt circle diameter", "diameter", 90.0, 0.08, x=0.80, y=0.50,
                     behaviour=Behaviour(capability=1.3, offset=0.2)),
                Char(3, "Thickness", "length", 12.0, 0.05, x=0.15, y=0.75,
                     behaviour=Behaviour(capability=1.5, shift_b_offset=-0.4)),
                Char(4, "Bore diameter", "diameter", 50.0, 0.03, x=0.50, y=0.50),
            )),
        ),
        revisions=((45, "Bore tolerance relaxed, H8 fit", 4, 0.04),),
    ),
    Part(
        code="HOUSING-7", name="Gearbox housing 7", description="Milled aluminium housing",
        stations=("ST-MILL-2",), parts_per_shift=5,
        tasks=(
            ("Housing bores", "Bore gauge, two readings, record the larger", (
                Char(1, "Main bore", "diameter", 62.0, 0.03, x=0.35, y=0.40, behaviour=Behaviour(capability=1.35)),
                Char(2, "Bore distance", "length", 85.0, 0.05, x=0.62, y=0.40),
                Char(3, "Face flatness", "flatness", 0.0, 0.02, x=0.50, y=0.85, one_sided=True,
                     behaviour=Behaviour(capability=1.5)),
            )),
        ),
    ),
    Part(
        code="PIN-3", name="Locating pin 3", description="Ground locating pin",
        stations=("ST-LATHE-1",), parts_per_shift=12,
        tasks=(
            ("Pin", "Micrometer, pin at room temperature", (
                Char(1, "Pin diameter", "diameter", 6.0, 0.008, x=0.45, y=0.35, behaviour=Behaviour(capability=1.8)),
                Char(2, "Pin length", "length", 30.0, 0.10, x=0.50, y=0.75),
            )),
        ),
        revisions=((70, "Chamfer note added to the directive", 0, 0.0),),
    ),
]
