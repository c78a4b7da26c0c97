"""What an FAI covers and how Form 3 words it: scope from the version diff, requirement, location, designator."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..kit.errors import Conflict
from ..models import RecipeVersion, Subtask, Task
from ..recipes.diff import version_diff
from ..recipes.versioning import RELEASED

DIAMETER_SIGNS = ("Ø", "⌀", "∅")
# Drawing zones as on an ISO 5457 sheet: numbered columns left to right, lettered rows top to bottom.
ZONE_COLUMNS, ZONE_ROWS = 8, 6
DEFAULT_DESIGNATORS = {"critical": "Critical", "major": "Major", "minor": "Minor"}


def ordered_subtasks(version: RecipeVersion) -> list[tuple[Task, Subtask]]:
    """Every characteristic of the version in balloon order (labels 1..N follow task, then balloon order)."""
    pairs = [(task, sub) for task in sorted(version.tasks, key=lambda t: (t.order_index, t.id))
             for sub in sorted(task.subtasks, key=lambda s: (s.marker_number, s.id))]
    return sorted(pairs, key=lambda p: _label_key(p[1].label, p[1].marker_number))


def _label_key(label: str | None, marker: int) -> tuple[int, str]:
    text = label or str(marker)
    return (int(text), "") if text.isdigit() else (10**9, text)


def baseline_version(session: Session, version: RecipeVersion) -> RecipeVersion | None:
    """The released version just before this one."""
    return session.scalar(select(RecipeVersion).where(
        RecipeVersion.recipe_id == version.recipe_id, RecipeVersion.version_number < version.version_number,
        RecipeVersion.status == RELEASED).order_by(RecipeVersion.version_number.desc()).limit(1))


def partial_scope(session: Session, version: RecipeVersion) -> tuple[RecipeVersion, list[int]]:
    """The baseline and the characteristics the change to this version added or changed (409 when none)."""
    baseline = baseline_version(session, version)
    if baseline is None:
        raise Conflict(f"Version {version.version_number} has no released version before it: open a full FAI")
    diff = version_diff(session, baseline, version)
    affected = {c["characteristic_id"] for c in diff["characteristics"]["added"]}
    affected |= {c["characteristic_id"] for c in diff["characteristics"]["changed"]}
    # A replaced drawing or a moved balloon puts that task's characteristics back in question.
    touched = {t["title"] for t in diff["tasks"]["changed"]
               if t["drawing"] or t["balloons"]["moved"] or t["balloons"]["placed"]}
    affected |= {s.characteristic_id for task in version.tasks if task.title in touched for s in task.subtasks}
    ordered = [s.characteristic_id for _, s in ordered_subtasks(version) if s.characteristic_id in affected]
    if not ordered:
        raise Conflict(f"No characteristic changed from version {baseline.version_number} to "
                       f"{version.version_number}: a partial FAI would cover nothing")
    return baseline, ordered


def number(value: float) -> str:
    """A drawing number: three decimals, more only when the value needs them."""
    for places in range(3, 7):
        if abs(value - round(value, places)) < 1e-9:
            return f"{value:.{places}f}"
    return repr(value)


def requirement(sub: Subtask) -> str:
    """Field 8: the tolerance as written on the drawing ('Ø25 h7'), else built from the limits ('12.000 ±0.050')."""
    sign = "Ø" if sub.measurement_type == "diameter" else ""
    if sub.tolerance_text and sub.tolerance_text.strip():
        text = sub.tolerance_text.strip()
        return text if text.startswith(DIAMETER_SIGNS) else sign + text
    nominal, low, high = sub.nominal, sub.ltl, sub.utl
    if low is None and high is None:
        return sign + number(nominal) if nominal is not None else ""
    if high is None:
        return f"min {number(low)}"
    if low is None:
        return f"max {number(high)}"
    if nominal is None:
        return f"{sign}{number(low)} – {number(high)}"
    up, down = high - nominal, low - nominal
    if abs(up + down) < 1e-9:
        return f"{sign}{number(nominal)} ±{number(up)}"
    return f"{sign}{number(nominal)} {'+' if up >= 0 else '-'}{number(abs(up))}/{'+' if down >= 0 else '-'}{number(abs(down))}"


def zone(x: float, y: float) -> str:
    """The drawing zone of a point given as fractions of the sheet (row letter, column number)."""
    column = min(int(x * ZONE_COLUMNS), ZONE_COLUMNS - 1) + 1
    row = "ABCDEF"[min(int(y * ZONE_ROWS), ZONE_ROWS - 1)]
    return f"{row}{column}"


def reference_location(task: Task, sub: Subtask) -> str:
    """Field 6: the task and, when the balloon is placed, its sheet and zone."""
    balloon = next((b for b in task.annotations_json or [] if b.get("marker_number") == sub.marker_number), None)
    if balloon is None:
        return task.title
    sheet = f"sheet {balloon.get('page', 1)} " if balloon.get("page", 1) > 1 else ""
    return f"{task.title} / {sheet}zone {zone(balloon['x'], balloon['y'])}"


def designators(setting: str | None) -> dict[str, str]:
    """Class -> the customer's designator, from the `fai_designators` setting ('critical=KC; major=MA; minor=')."""
    mapping = dict(DEFAULT_DESIGNATORS)
    for part in (setting or "").replace("\n", ";").split(";"):
        key, sep, value = part.partition("=")
        if sep and key.strip().lower() in mapping:
            mapping[key.strip().lower()] = value.strip()
    return mapping


def scope_rows(version: RecipeVersion, scope: list[int]) -> list[tuple[Task, Subtask]]:
    """The characteristics in scope, in balloon order."""
    wanted = set(scope)
    return [(t, s) for t, s in ordered_subtasks(version) if s.characteristic_id in wanted]


def scope_summary(pairs: list[tuple[Task, Subtask]]) -> list[dict[str, Any]]:
    """The scope as the API lists it."""
    return [{"characteristic_id": s.characteristic_id, "label": s.label, "description": s.description}
            for _, s in pairs]
