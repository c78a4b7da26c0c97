"""What changed between two versions of a plan, in the plan's own words.

Characteristics are matched by characteristic_id (copies share it); tasks by the copy they came from
(source_task_id, followed back across versions), else by title.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import RecipeVersion, Subtask, Task

LIMIT_FIELDS = ("nominal", "ltl", "lwl", "uwl", "utl")
CHARACTERISTIC_FIELDS = ("description", "measurement_type", "unit", *LIMIT_FIELDS, "tolerance_text", "marker_number")
TASK_FIELDS = ("title", "directive", "description")
WORDS = {"nominal": "Nominal", "ltl": "LTL", "lwl": "LWL", "uwl": "UWL", "utl": "UTL", "unit": "unit",
         "description": "name", "measurement_type": "type", "tolerance_text": "tolerance",
         "marker_number": "balloon number", "title": "title", "directive": "directive"}


def number(value: Any) -> str:
    """A limit as a maker writes it: three decimals unless it needs more."""
    if value is None:
        return "none"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value - round(value, 3)) < 1e-12 else repr(value)
    return repr(value) if isinstance(value, str) else str(value)


def _characteristic(subtask: Subtask, task: Task) -> dict[str, Any]:
    return {"characteristic_id": subtask.characteristic_id, "label": subtask.label, "task": task.title,
            **{f: getattr(subtask, f) for f in CHARACTERISTIC_FIELDS}}


def _task_lineage(session: Session, recipe_id: int) -> dict[int, int | None]:
    """Every task of the recipe -> the task it was copied from."""
    rows = session.execute(select(Task.id, Task.source_task_id).join(RecipeVersion, RecipeVersion.id == Task.version_id)
                           .where(RecipeVersion.recipe_id == recipe_id))
    return {row.id: row.source_task_id for row in rows}


def _match_tasks(session: Session, old: RecipeVersion, new: RecipeVersion) -> dict[int, Task]:
    """New task id -> the old version's task it descends from (or the old one with the same title)."""
    lineage = _task_lineage(session, old.recipe_id)
    older, newer = (old, new) if old.version_number <= new.version_number else (new, old)
    older_by_id = {t.id: t for t in older.tasks}
    pairs: dict[int, int] = {}  # newer task id -> older task id
    for task in newer.tasks:
        seen, cursor = set(), lineage.get(task.id)
        while cursor is not None and cursor not in older_by_id and cursor not in seen:
            seen.add(cursor)
            cursor = lineage.get(cursor)
        if cursor in older_by_id and cursor not in pairs.values():
            pairs[task.id] = cursor
    for task in newer.tasks:  # versions made before tasks knew their source: same title
        if task.id not in pairs:
            twin = next((t for t in older.tasks if t.title == task.title and t.id not in pairs.values()), None)
            if twin is not None:
                pairs[task.id] = twin.id
    if older is new:
        pairs = {o: n for n, o in pairs.items()}
    old_by_id = {t.id: t for t in old.tasks}
    return {new_id: old_by_id[old_id] for new_id, old_id in pairs.items()}


def _balloons(task: Task) -> dict[int, tuple[float, float, int]]:
    return {b["marker_number"]: (b["x"], b["y"], b.get("page", 1)) for b in task.annotations_json or []}


def _task_changes(old: Task, new: Task) -> dict[str, Any] | None:
    changes = [{"field": f, "old": getattr(old, f), "new": getattr(new, f)}
               for f in TASK_FIELDS if getattr(old, f) != getattr(new, f)]
    if old.order_index != new.order_index:
        changes.append({"field": "position", "old": old.order_index + 1, "new": new.order_index + 1})
    drawing = None
    if old.file_id != new.file_id:
        drawing = {"old": old.file_path, "new": new.file_path}
    before, after = _balloons(old), _balloons(new)
    moved = [{"marker_number": m, "old": {"x": before[m][0], "y": before[m][1], "page": before[m][2]},
              "new": {"x": after[m][0], "y": after[m][1], "page": after[m][2]}}
             for m in sorted(set(before) & set(after)) if before[m] != after[m]]
    balloons = {"placed": sorted(set(after) - set(before)), "removed": sorted(set(before) - set(after)), "moved": moved}
    if not changes and drawing is None and not any(balloons.values()):
        return None
    return {"title": new.title, "old_title": old.title, "changes": changes, "drawing": drawing, "balloons": balloons}


def version_diff(session: Session, old: RecipeVersion, new: RecipeVersion) -> dict[str, Any]:
    """Added, removed and changed characteristics (limits as numbers), changed tasks, drawings and balloons."""
    before = {s.characteristic_id: _characteristic(s, t) for t in old.tasks for s in t.subtasks}
    after = {s.characteristic_id: _characteristic(s, t) for t in new.tasks for s in t.subtasks}
    changed = []
    for cid in [c for c in after if c in before]:
        diffs = [{"field": f, "old": before[cid][f], "new": after[cid][f]}
                 for f in CHARACTERISTIC_FIELDS if before[cid][f] != after[cid][f]]
        if before[cid]["task"] != after[cid]["task"]:
            diffs.append({"field": "task", "old": before[cid]["task"], "new": after[cid]["task"]})
        if diffs:
            changed.append({**after[cid], "old_label": before[cid]["label"], "changes": diffs})
    matched = _match_tasks(session, old, new)
    matched_old = {t.id for t in matched.values()}
    task_changes = [c for t in new.tasks if t.id in matched and (c := _task_changes(matched[t.id], t))]
    recipe = [{"field": f, "old": getattr(old, f), "new": getattr(new, f)}
              for f in ("name", "description") if getattr(old, f) != getattr(new, f)]
    return {
        "recipe_id": old.recipe_id, "from_version": old.version_number, "to_version": new.version_number,
        "recipe": recipe,
        "characteristics": {"added": [after[c] for c in after if c not in before],
                            "removed": [before[c] for c in before if c not in after], "changed": changed},
        "tasks": {"added": [t.title for t in new.tasks if t.id not in matched],
                  "removed": [t.title for t in old.tasks if t.id not in matched_old], "changed": task_changes},
    }


def _name(item: dict[str, Any]) -> str:
    return item["description"] or f"Characteristic {item['label'] or item['marker_number']}"


def _limits(item: dict[str, Any]) -> str:
    parts = [f"{WORDS[f]} {number(item[f])}" for f in LIMIT_FIELDS if item[f] is not None]
    return f"{', '.join(parts)} {item['unit']}".strip()


def summary_lines(diff: dict[str, Any]) -> list[str]:
    """One line per change, e.g. "Bearing seat diameter: UTL 25.050 -> 25.040"."""
    lines = [f"Plan {WORDS.get(c['field'], c['field'])}: {number(c['old'])} -> {number(c['new'])}" for c in diff["recipe"]]
    lines += [f"Task '{title}' added" for title in diff["tasks"]["added"]]
    lines += [f"Task '{title}' removed" for title in diff["tasks"]["removed"]]
    for task in diff["tasks"]["changed"]:
        for c in task["changes"]:
            lines.append(f"Task '{task['old_title']}': {WORDS.get(c['field'], c['field'])} "
                         f"{number(c['old'])} -> {number(c['new'])}")
        if task["drawing"]:
            lines.append(f"Task '{task['title']}': drawing replaced")
        balloons = task["balloons"]
        for key, verb in (("placed", "placed"), ("removed", "removed")):
            if balloons[key]:
                lines.append(f"Task '{task['title']}': balloon {', '.join(map(str, balloons[key]))} {verb}")
        if balloons["moved"]:
            markers = ", ".join(str(b["marker_number"]) for b in balloons["moved"])
            lines.append(f"Task '{task['title']}': balloon {markers} moved")
    for item in diff["characteristics"]["added"]:
        lines.append(f"{_name(item)} added to task '{item['task']}': {_limits(item)}")
    for item in diff["characteristics"]["removed"]:
        lines.append(f"{_name(item)} removed from task '{item['task']}'")
    for item in diff["characteristics"]["changed"]:
        words = [f"{WORDS.get(c['field'], c['field'])} {number(c['old'])} -> {number(c['new'])}" for c in item["changes"]]
        lines.append(f"{_name(item)}: {'; '.join(words)}")
    return lines
