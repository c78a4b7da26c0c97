"""Queries of the public API: runs, tested devices and failed cases, keyset-paged."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from ..kit.errors import NotFound
from ..kit.vocabulary import RUN_STATUSES
from ..models import HardpyReport, Run, RunDutInfo, Station, TestedDut
from .failed_cases import hardpy_failed_cases, station_failed_cases
from .filters import RunFilters
from .paging import PageRequest, encode_cursor, keyset
from .projection import IN_PROGRESS, STATUSES_FOR_FILTER, VISIBLE_STATUSES, dut_view, load_context, run_view


@dataclass
class ListPage:
    """One page of a list, the total behind it, and the cursor of the next page (None on the last)."""

    items: list[dict[str, Any]]
    total: int
    next_cursor: str | None


def _stand_condition(station_col, report_col, value: str) -> ColumnElement:
    # A station run names its stand through the station row, a HardPy run through its report.
    return or_(
        Run.station_id.in_(select(Station.id).where(station_col == value)),
        Run.id.in_(select(HardpyReport.run_id).where(report_col == value)),
    )


def _status_condition(status: str | None) -> ColumnElement:
    # "status IN (a, b)" leads SQLite to the (status, started_at) index, which cannot give start-time
    # order over two values: it sorts every match to answer one page. Most runs match the
    # unfiltered list and ?status=pass, so those exclude the other statuses instead, and the planner
    # walks the (start time, id) index; one status keeps the equality the status index orders.
    wanted = STATUSES_FOR_FILTER[status] if status else VISIBLE_STATUSES
    if len(wanted) == 1:
        return Run.status == wanted[0]
    return Run.status.not_in([s for s in RUN_STATUSES if s not in wanted])


def run_conditions(f: RunFilters) -> list[ColumnElement]:
    """WHERE terms on Run for the filters every list shares."""
    conds: list[ColumnElement] = [_status_condition(f.status)]
    if f.part_number is not None:
        conds.append(Run.part_number == f.part_number)
    if f.serial_number is not None:
        conds.append(Run.serial_number == f.serial_number)
    if f.lot_number is not None:
        conds.append(Run.lot_number == f.lot_number)
    if f.source is not None:
        conds.append(Run.source == f.source)
    if f.test_stand_name is not None:
        conds.append(_stand_condition(Station.name, HardpyReport.stand_name, f.test_stand_name))
    if f.test_stand_hw_id is not None:
        conds.append(_stand_condition(Station.code, HardpyReport.stand_hw_id, f.test_stand_hw_id))
    if f.start_time_from is not None:
        conds.append(Run.started_at >= f.start_time_from)
    if f.start_time_to is not None:
        conds.append(Run.started_at < f.start_time_to)
    if f.number_of_attempt is not None:
        conds.append(Run.attempt == f.number_of_attempt)
    for key, values in f.dut_info.items():
        conds.append(Run.id.in_(select(RunDutInfo.run_id).where(RunDutInfo.key == key, RunDutInfo.value.in_(values))))
    return conds


def _split(rows: list, page: PageRequest) -> tuple[list, bool]:
    return rows[: page.limit], len(rows) > page.limit


def _total(page: PageRequest, scope: str, count: Callable[[], int]) -> int:
    # Counting costs a pass over the matches: a walk counts on its first page and carries the
    # number in its cursor, so deep pages cost the same as the first.
    if page.after is not None and page.after.total is not None and page.after.scope == scope:
        return page.after.total
    return count()


def _count_runs(session: Session, f: RunFilters, conds: list[ColumnElement]) -> int:
    if f != RunFilters():
        return session.scalar(select(func.count()).select_from(Run).where(*conds)) or 0
    # Unfiltered: count every run through the smallest index (no status to read per row) and
    # subtract the few in progress, which the status index finds directly.
    every = session.scalar(select(func.count()).select_from(Run)) or 0
    return every - (session.scalar(select(func.count()).select_from(Run).where(Run.status == IN_PROGRESS)) or 0)


def list_runs(session: Session, f: RunFilters, page: PageRequest) -> ListPage:
    """Runs matching the filters, ordered by (start time, id)."""
    conds, scope = run_conditions(f), f.scope()
    total = _total(page, scope, lambda: _count_runs(session, f, conds))
    after, order_by = keyset(Run.started_at, Run.id, page)
    # Plain rows, not ORM objects: a page is read once and never changed, so identity tracking is
    # pure cost; the rows answer the same attribute names.
    stmt = select(Run.__table__).where(*conds, *after).order_by(*order_by).offset(page.offset).limit(page.limit + 1)
    runs, more = _split(session.execute(stmt).all(), page)
    cursor = encode_cursor("test_run", page.order, runs[-1].started_at, runs[-1].id, total, scope) if more else None
    ctx = load_context(session, runs)
    return ListPage([run_view(r, ctx) for r in runs], total, cursor)


def visible_run(session: Session, run_id: uuid.UUID) -> Run:
    """A finished (or aborted) run; 404 for unknown and in-progress runs."""
    run = session.get(Run, run_id)
    if run is None or run.status not in VISIBLE_STATUSES:
        raise NotFound("Test run not found")
    return run


def get_run(session: Session, run_id: uuid.UUID) -> dict[str, Any]:
    """One run by id."""
    run = visible_run(session, run_id)
    return run_view(run, load_context(session, [run]))


def failed_cases(session: Session, run_id: uuid.UUID) -> list[dict[str, Any]]:
    """The failed cases of one run."""
    run = visible_run(session, run_id)
    if run.source == "hardpy":
        return hardpy_failed_cases(session, run.id)
    return station_failed_cases(session, run.id)


def _device_conditions(f: RunFilters) -> list[ColumnElement]:
    conds: list[ColumnElement] = []
    if f.part_number is not None:
        conds.append(TestedDut.part_number == f.part_number)
    if f.serial_number is not None:
        conds.append(TestedDut.serial_number == f.serial_number)
    if f.attempt_count is not None:
        conds.append(TestedDut.attempt_count == f.attempt_count)
    return conds


def _count_devices(session: Session, f: RunFilters, run_conds: list[ColumnElement]) -> int:
    device_conds = _device_conditions(f)
    if any(v is not None for v in (f.status, f.test_stand_name, f.test_stand_hw_id, f.lot_number, f.source,
                                    f.start_time_from, f.start_time_to)) or f.dut_info:
        stmt = select(func.count()).select_from(TestedDut).join(Run, Run.id == TestedDut.last_run_id)
        return session.scalar(stmt.where(*run_conds, *device_conds)) or 0
    # Without conditions on the last run, count the devices alone and subtract the few whose last
    # run is in progress: no pass over the runs.
    devices = session.scalar(select(func.count()).select_from(TestedDut).where(*device_conds)) or 0
    busy = session.scalar(
        select(func.count()).select_from(Run)
        .join(TestedDut, and_(TestedDut.part_number == Run.part_number, TestedDut.serial_number == Run.serial_number,
                              TestedDut.last_run_id == Run.id))
        .where(Run.status == IN_PROGRESS, *device_conds)
    ) or 0
    return devices - busy


def list_tested_duts(session: Session, f: RunFilters, page: PageRequest) -> ListPage:
    """Devices whose last run matches the filters, ordered by (last start time, device id)."""
    # The device's own columns serve part and serial (its unique index), the last run the rest.
    run_conds = run_conditions(replace(f, part_number=None, serial_number=None))
    scope = f.scope()
    total = _total(page, scope, lambda: _count_devices(session, f, run_conds))
    # Plain rows (the last run's columns and three of the device's), as in list_runs.
    base = (select(Run.__table__, TestedDut.id.label("dut_id"), TestedDut.last_started_at.label("dut_started_at"),
                   TestedDut.attempt_count.label("dut_attempts"))
            .join(Run, Run.id == TestedDut.last_run_id).where(*run_conds, *_device_conditions(f)))
    after, order_by = keyset(TestedDut.last_started_at, TestedDut.id, page)
    rows, more = _split(session.execute(base.where(*after).order_by(*order_by)
                                        .offset(page.offset).limit(page.limit + 1)).all(), page)
    cursor = None
    if more:
        cursor = encode_cursor("tested_dut", page.order, rows[-1].dut_started_at, rows[-1].dut_id, total, scope)
    ctx = load_context(session, rows)
    return ListPage([dut_view(row, row.dut_attempts, ctx) for row in rows], total, cursor)
