"""The English wording of the per-part inspection report and the measurement summary by key."""

from __future__ import annotations

PART_WORDING: dict[str, str] = {
    "part_title": "Inspection report",
    "part_number": "Part number",
    "plan": "Plan",
    "attempt": "Attempt",
    "run_status": "Part result",
    "started": "Started",
    "finished": "Finished",
    "run_id": "Run id",
    "times_in": "Times in the plant's time zone ({zone}).",
    "balloon": "Balloon",
    "lower": "Lower",
    "upper": "Upper",
    "gauge": "Gauge",
    "not_measured": "not measured",
    "characteristics": "Characteristics",
    "test_cases": "Test cases",
    "part_correction": "Balloon {balloon}: {old} replaced by {new}, by {who}, {when}: {why}",
    "drawing": "Drawing",
    "in_progress": "In progress",
    "aborted": "Aborted",
    # The measurement report's per-characteristic summary.
    "by_characteristic": "Summary by characteristic",
    "minimum": "Min",
    "maximum": "Max",
    "fails": "Fails",
    "detail_off": "Detailed table not included (detail=true adds it, at most {limit} rows).",
    "detail_limit": (
        "The detailed table shows at most {limit} rows: here the first {shown} of {total} measurements; "
        "the CSV/XLSX export holds them all."
    ),
    "cpk_note": "Cpk with σ within from moving ranges, limits of the current version.",
}
