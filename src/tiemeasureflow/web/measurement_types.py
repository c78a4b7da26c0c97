"""Measurement types as people read them, in the page's language (never the stored name)."""

from __future__ import annotations

from flask_babel import gettext as _


def type_label(name: str | None) -> str:
    """The translated label of a measurement type; an unknown name is shown as it is."""
    labels = {
        "length": _("Length"), "width": _("Width"), "height": _("Height"), "depth": _("Depth"),
        "thickness": _("Thickness"), "distance": _("Distance"), "diameter": _("Diameter"), "radius": _("Radius"),
        "chamfer": _("Chamfer"), "angle": _("Angle"), "roughness_ra": _("Roughness Ra"),
        "roughness_rz": _("Roughness Rz"), "flatness": _("Flatness"), "straightness": _("Straightness"),
        "roundness": _("Roundness"), "cylindricity": _("Cylindricity"), "parallelism": _("Parallelism"),
        "perpendicularity": _("Perpendicularity"), "angularity": _("Angularity"), "position": _("Position"),
        "concentricity": _("Concentricity"), "symmetry": _("Symmetry"), "runout": _("Run-out"),
        "total_runout": _("Total run-out"), "profile": _("Profile"),
    }
    return labels.get(name or "", name or "")
