"""QIF characteristic kinds and units as TieMeasureFlow's measurement types and units."""

from __future__ import annotations

from ..recipes.catalog import DEGREE, MICROMETRE

# QIF characteristic kind (the element name without CharacteristicDefinition/Item/...) -> measurement type.
KIND_TYPES = {
    "Diameter": "diameter", "Length": "length", "Width": "width", "Height": "height", "Depth": "depth",
    "Thickness": "thickness", "DistanceBetween": "distance", "DistanceFrom": "distance", "Radius": "radius",
    "Chamfer": "chamfer", "LinearCoordinate": "distance", "Curvature": "radius",
    "Angle": "angle", "AngleBetween": "angle", "AngleFrom": "angle", "AngularCoordinate": "angle",
    "Flatness": "flatness", "Straightness": "straightness", "Circularity": "roundness",
    "Cylindricity": "cylindricity", "Parallelism": "parallelism", "Perpendicularity": "perpendicularity",
    "Angularity": "angularity", "Position": "position", "Concentricity": "concentricity",
    "Coaxiality": "concentricity", "Symmetry": "symmetry", "CircularRunout": "runout",
    "TotalRunout": "total_runout", "LineProfile": "profile", "SurfaceProfile": "profile",
    "PointProfile": "profile", "SurfaceTexture": "roughness_ra",
}
# The measurement type written for each of ours on export (the first QIF kind that maps to it).
TYPE_KINDS = {t: k for k, t in reversed(list(KIND_TYPES.items()))}
ANGULAR_TYPES = {"angle"}
# A geometrical tolerance is a zone width: the measured value is the deviation, limited from above only;
# a point profile's value is a signed deviation inside a zone centred on the true profile.
ZONE_KINDS = {"Flatness", "Straightness", "Circularity", "Cylindricity", "Parallelism", "Perpendicularity",
              "Angularity", "Position", "Concentricity", "Coaxiality", "Symmetry", "CircularRunout",
              "TotalRunout", "LineProfile", "SurfaceProfile"}
CENTRED_ZONE_KINDS = {"PointProfile"}

LINEAR_UNIT_NAMES = {
    "mm": "mm", "millimeter": "mm", "millimetre": "mm", "in": "in", "inch": "in", "inches": "in",
    "um": MICROMETRE, "µm": MICROMETRE, "micrometer": MICROMETRE, "micrometre": MICROMETRE, "micron": MICROMETRE,
}
QIF_LINEAR_UNITS = {"mm": ("millimeter", "mm", 0.001), "in": ("inch", "in", 0.0254),
                    MICROMETRE: ("micrometer", "um", 0.000001)}


def linear_unit(name: str | None) -> str:
    """Our unit for a QIF linear unit name (millimetres when the file names none)."""
    if name is None:
        return "mm"
    unit = LINEAR_UNIT_NAMES.get(name.strip().lower())
    if unit is None:
        raise ValueError(f"linear unit {name!r} is not one TieMeasureFlow knows (mm, inch, micrometer)")
    return unit


def angular_factor(name: str | None) -> float:
    """What multiplies a QIF angle to give degrees."""
    if name is None or name.strip().lower() in ("degree", "degrees", "deg", DEGREE):
        return 1.0
    if name.strip().lower() in ("radian", "radians", "rad"):
        return 180.0 / 3.141592653589793
    raise ValueError(f"angular unit {name!r} is not one TieMeasureFlow knows (degree, radian)")
