"""What a subtask may measure and in which units; plain constants the station client may import too."""

from __future__ import annotations

MICROMETRE = "µm"  # U+00B5 MICRO SIGN, the one stored and returned
MICROINCH = "µin"
DEGREE = "°"

LINEAR_UNITS = ("mm", MICROMETRE, "in")
ANGULAR_UNITS = (DEGREE,)
ROUGHNESS_UNITS = (MICROMETRE, MICROINCH)

# measurement_type -> the units it may be expressed in (first = the usual one).
UNITS_BY_TYPE: dict[str, tuple[str, ...]] = {
    # Sizes
    "length": LINEAR_UNITS,
    "width": LINEAR_UNITS,
    "height": LINEAR_UNITS,
    "depth": LINEAR_UNITS,
    "thickness": LINEAR_UNITS,
    "distance": LINEAR_UNITS,
    "diameter": LINEAR_UNITS,
    "radius": LINEAR_UNITS,
    "chamfer": LINEAR_UNITS,
    "angle": ANGULAR_UNITS,
    # Surface texture
    "roughness_ra": ROUGHNESS_UNITS,
    "roughness_rz": ROUGHNESS_UNITS,
    # Geometrical tolerances (form, orientation, location, run-out): a zone width
    "flatness": LINEAR_UNITS,
    "straightness": LINEAR_UNITS,
    "roundness": LINEAR_UNITS,
    "cylindricity": LINEAR_UNITS,
    "parallelism": LINEAR_UNITS,
    "perpendicularity": LINEAR_UNITS,
    "angularity": LINEAR_UNITS,
    "position": LINEAR_UNITS,
    "concentricity": LINEAR_UNITS,
    "symmetry": LINEAR_UNITS,
    "runout": LINEAR_UNITS,
    "total_runout": LINEAR_UNITS,
    "profile": LINEAR_UNITS,
}

MEASUREMENT_TYPES = tuple(UNITS_BY_TYPE)
UNITS = tuple(dict.fromkeys(u for units in UNITS_BY_TYPE.values() for u in units))

# Spellings accepted on input and stored as the canonical unit. The Greek mu (U+03BC)
# looks exactly like the micro sign, so both must mean the same unit.
UNIT_ALIASES = {
    "um": MICROMETRE,
    "\u03bcm": MICROMETRE,
    "uin": MICROINCH,
    "\u03bcin": MICROINCH,
    "deg": DEGREE,
}
ACCEPTED_UNITS = (*UNITS, *UNIT_ALIASES)

# What a task's drawing is.
FILE_TYPES = ("image", "pdf")


def canonical_unit(unit: str) -> str:
    """The stored spelling of a unit (aliases resolved); unknown units come back unchanged."""
    return UNIT_ALIASES.get(unit, unit)


def file_type_of(content_type: str) -> str | None:
    """The task file_type that matches an uploaded file's content type."""
    if content_type.startswith("image/"):
        return "image"
    if content_type == "application/pdf":
        return "pdf"
    return None
