"""The SPC dashboard's HardPy source: numeric measurements of HardPy cases charted per part number."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from .context import ROLE_METROLOGIST, role_required
from .gateways import statistics
from .i18n import day_bound
from .spc import DISTRIBUTIONS, bp

NAMES = ("part_number", "measurement", "date_from", "date_to", "serial_number", "lot_number", "stand", "rules",
         "axis", "n_bins", "distribution")


def hardpy_characteristics(part_number: str | None = None) -> list[dict[str, Any]]:
    """The HardPy measurements of a part number (of every part number when None)."""
    return statistics.hardpy_characteristics(part_number or None)


def read_args() -> dict[str, str]:
    """The page's choices as typed in the query string (unknown choices fall back to the defaults)."""
    args = {k: request.args.get(k, "").strip() for k in NAMES}
    args["rules"] = args["rules"] if args["rules"] in ("we", "nelson") else ""
    args["axis"] = "time" if args["axis"] == "time" else "index"
    args["distribution"] = args["distribution"] if args["distribution"] in DISTRIBUTIONS else "normal"
    args["n_bins"] = args["n_bins"] if args["n_bins"].isdigit() else "20"
    return args


@bp.get("/hardpy")
@role_required(ROLE_METROLOGIST)
def hardpy():
    """Capability, I-MR chart and histogram of one numeric measurement of the HardPy stands' cases."""
    args = read_args()
    parts = sorted({c["part_number"] for c in hardpy_characteristics()})
    measurements = hardpy_characteristics(args["part_number"]) if args["part_number"] in parts else []
    data: dict[str, Any] = {}
    if any(m["key"] == args["measurement"] for m in measurements):
        base = {"part_number": args["part_number"], "measurement": args["measurement"],
                "date_from": day_bound(args["date_from"]), "date_to": day_bound(args["date_to"], end=True),
                "serial_number": args["serial_number"] or None, "lot_number": args["lot_number"] or None,
                "stand": args["stand"] or None}
        distribution = {"distribution": args["distribution"]}
        data = {
            "capability": statistics.hardpy_capability(base | distribution),
            "control": statistics.hardpy_control_chart(base | {"rules": args["rules"] or None}),
            "histogram": statistics.hardpy_histogram(base | distribution | {"n_bins": args["n_bins"]}),
        }
        for point in data["control"]["points"]:
            # The chart's hover names the operator and version of a station value: here the stand and the run.
            point["operator"], point["version_number"] = point["stand_name"], point["run_id"][:8]
    return render_template("spc/hardpy.html", args=args, parts=parts, measurements=measurements, data=data)
