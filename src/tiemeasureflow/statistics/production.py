"""Yield of devices over runs, and the Pareto of failing and warning characteristics.

A device is a (part number, serial number). Its first run is its earliest run; it passed first
time when that run finished pass or warning (a warning is a pass with a remark). Its final
result is its latest run that finished pass, warning or fail; aborted runs give no verdict.
Devices count in the period (and group) of their first run; runs after the period are not seen.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, TypedDict

from sqlalchemy import ColumnElement, Integer, case, cast, func, select
from sqlalchemy.orm import Session

from ..models import Characteristic, Measurement, Recipe, RecipeVersion, Run, Station, Subtask, Task
from .production_schemas import ParetoData, ParetoItem, YieldData, YieldGroup, YieldGrouping
from .scope import StatisticsFilters, as_utc, measurement_conditions, resolve

PASSED = ("pass", "warning")
VERDICTS = ("pass", "warning", "fail")
Ranked = Literal["fail", "warning"]
# A yield group's key as the database gives it: a day (its text on SQLite), a station or recipe id, or None.
GroupKey = date | str | int | None


class CharacteristicLabel(TypedDict):
    """What a Pareto item names its characteristic by."""

    subtask_id: int
    recipe_id: int
    recipe_code: str
    marker_number: int
    description: str | None
    unit: str
    label: str | None


def yield_data(session: Session, group_by: YieldGrouping, date_from: datetime | None, date_to: datetime | None,
               recipe_id: int | None, station_id: int | None, station_code: str | None) -> YieldData:
    """First-pass and final yield of the devices first run in the period, grouped by day, station or recipe."""
    scope = resolve(session, StatisticsFilters(recipe_id=recipe_id, date_from=date_from, date_to=date_to,
                                               station_id=station_id, station_code=station_code))
    start, end = as_utc(date_from), as_utc(date_to)
    device = (Run.part_number, Run.serial_number)
    verdict_first = case((Run.status.in_(VERDICTS), 0), else_=1)
    runs = select(
        Run.status, Run.started_at, Run.station_id, Run.recipe_id,
        func.row_number().over(partition_by=device, order_by=(Run.started_at, Run.id)).label("rank"),
        func.first_value(Run.status).over(
            partition_by=device, order_by=(verdict_first, Run.started_at.desc(), Run.id.desc())).label("final"),
        func.count().over(partition_by=device).label("runs"),
    )
    if scope.recipe_id is not None:
        runs = runs.where(Run.recipe_id == scope.recipe_id)
    if end is not None:
        runs = runs.where(Run.started_at <= end)
    ranked = runs.subquery()
    key = {"day": func.date(ranked.c.started_at), "station": ranked.c.station_id,
           "recipe": ranked.c.recipe_id}[group_by]
    stmt = select(
        key.label("key"), func.count(), _count(ranked.c.status == "in_progress"),
        _count(ranked.c.status.in_(PASSED)), _count(ranked.c.final.in_(PASSED)), func.sum(ranked.c.runs),
    ).where(ranked.c.rank == 1).group_by(key)
    if start is not None:
        stmt = stmt.where(ranked.c.started_at >= start)
    if scope.station_id is not None:
        stmt = stmt.where(ranked.c.station_id == scope.station_id)
    rows = session.execute(stmt).all()
    labels = _labels(session, group_by, [row[0] for row in rows])
    groups = sorted((_group(_key(row[0]), labels.get(row[0]), *row[1:]) for row in rows),
                    key=lambda g: (g.label or "", g.key))
    total = _group("all", None, *(sum(getattr(g, f) for g in groups)
                                  for f in ("devices", "pending", "first_pass", "final_pass", "runs")))
    return YieldData(group_by=group_by, date_from=start, date_to=end, total=total, groups=groups)


def pareto_data(session: Session, filters: StatisticsFilters, judgment: Ranked | None, limit: int) -> ParetoData:
    """Characteristics ranked by their failing and warning current measurements."""
    scope = resolve(session, filters)
    judgments: list[Ranked] = [judgment] if judgment else ["fail", "warning"]
    fails = _count(Measurement.pass_fail == "fail")
    warnings = _count(Measurement.pass_fail == "warning")
    stmt = select(Measurement.characteristic_id, fails, warnings, func.count()) \
        .where(*measurement_conditions(scope)).group_by(Measurement.characteristic_id)
    counted: list[tuple[int, int, int, int, int]] = []
    for characteristic_id, fail_count, warning_count, measured in session.execute(stmt):
        ranked = (fail_count if "fail" in judgments else 0) + (warning_count if "warning" in judgments else 0)
        if ranked:
            counted.append((ranked, fail_count, warning_count, measured, characteristic_id))
    counted.sort(key=lambda c: (-c[0], -c[1], c[4]))
    total = sum(c[0] for c in counted)
    labels = _characteristic_labels(session, [c[4] for c in counted[:limit]])
    items: list[ParetoItem] = []
    cumulative = 0
    for rank, (count, fail_count, warning_count, measured, characteristic_id) in enumerate(counted[:limit], 1):
        cumulative += count
        label = labels[characteristic_id]
        items.append(ParetoItem(
            rank=rank, characteristic_id=characteristic_id, fail_count=fail_count, warning_count=warning_count,
            count=count, measured=measured, rate_percentage=round(100.0 * count / measured, 2),
            percentage=round(100.0 * count / total, 2), cumulative_percentage=round(100.0 * cumulative / total, 2),
            **label,
        ))
    return ParetoData(judgments=judgments, total=total, characteristics=len(counted), items=items)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(cast(case((condition, 1), else_=0), Integer)), 0)


def _key(raw: GroupKey) -> str:
    return "none" if raw is None else str(raw)


def _group(key: str, label: str | None, devices: int, pending: int, first_pass: int, final_pass: int,
           runs: int | None) -> YieldGroup:
    decided = devices - pending

    def share(count: int) -> float | None:
        return round(100.0 * count / decided, 2) if decided else None

    return YieldGroup(key=key, label=label, devices=devices, decided=decided, pending=pending,
                      first_pass=first_pass, final_pass=final_pass, runs=int(runs or 0),
                      first_pass_yield=share(first_pass), final_yield=share(final_pass))


def _labels(session: Session, group_by: YieldGrouping, keys: list[GroupKey]) -> dict[GroupKey, str]:
    """Station or recipe codes by id (a day is its own label)."""
    ids = [k for k in keys if k is not None]
    if group_by == "day" or not ids:
        return {}
    model = Station if group_by == "station" else Recipe
    return {id_: code for id_, code in session.execute(select(model.id, model.code).where(model.id.in_(ids))).tuples()}


def _characteristic_labels(session: Session, characteristic_ids: list[int]) -> dict[int, CharacteristicLabel]:
    """For each characteristic: its subtask in its newest version, and its recipe."""
    if not characteristic_ids:
        return {}
    stmt = (
        select(Subtask.characteristic_id, Subtask.id, Characteristic.recipe_id, Recipe.code, Subtask.marker_number,
               Subtask.description, Subtask.unit, Subtask.label)
        .join(Task, Task.id == Subtask.task_id).join(RecipeVersion, RecipeVersion.id == Task.version_id)
        .join(Characteristic, Characteristic.id == Subtask.characteristic_id)
        .join(Recipe, Recipe.id == Characteristic.recipe_id)
        .where(Subtask.characteristic_id.in_(characteristic_ids))
        .order_by(Subtask.characteristic_id, RecipeVersion.version_number.desc())
    )
    labels: dict[int, CharacteristicLabel] = {}
    for cid, subtask_id, recipe_id, code, marker, description, unit, label in session.execute(stmt):
        labels.setdefault(cid, CharacteristicLabel(
            subtask_id=subtask_id, recipe_id=recipe_id, recipe_code=code, marker_number=marker,
            description=description, unit=unit, label=label))
    return labels
