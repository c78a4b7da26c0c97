"""The SPC report's alarms of its period with their reaction, and the statement of the limits it used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Alarm, AssignableCause, Run, User
from .i18n import Translator
from .layout import FONT, ellipsize

MAX_ALARM_ROWS = 40


@dataclass(frozen=True)
class AlarmRow:
    """One alarm of the period and the reaction to it."""

    id: int
    detected_at: datetime
    kind: str
    what: str
    serial: str | None
    status: str
    cause: str | None
    action: str | None
    by: str | None
    response_minutes: float | None


@dataclass(frozen=True)
class LimitsUsed:
    """Which control limits the report's chart used: `computed` from the selection, or a `frozen` set."""

    source: str = "computed"
    set_id: int | None = None


def limits_used(chart_data) -> LimitsUsed:
    """The one place that reads the limits' origin from the chart answer (frozen sets report it there)."""
    return LimitsUsed(getattr(chart_data, "limits_source", None) or "computed",
                      getattr(chart_data, "limit_set_id", None))


def alarms_of(session: Session, characteristic_id: int, period: tuple[datetime | None, datetime | None]
              ) -> tuple[list[AlarmRow], int]:
    """The characteristic's alarms detected in the period, oldest first, and how many there are in all."""
    first, last = period
    stmt = select(Alarm).where(Alarm.characteristic_id == characteristic_id)
    if first is not None:
        stmt = stmt.where(Alarm.detected_at >= first)
    if last is not None:
        stmt = stmt.where(Alarm.detected_at <= last)
    alarms = list(session.scalars(stmt.order_by(Alarm.detected_at, Alarm.id)))
    causes = dict(session.execute(select(AssignableCause.code, AssignableCause.name)).all())
    rows = []
    for alarm in alarms[-MAX_ALARM_ROWS:]:
        run = session.get(Run, alarm.run_id) if alarm.run_id else None
        user = session.get(User, alarm.acknowledged_by) if alarm.acknowledged_by else None
        minutes = None
        if alarm.acknowledged_at is not None:
            minutes = (alarm.acknowledged_at - alarm.detected_at).total_seconds() / 60
        what = alarm.rule or alarm.kind
        if alarm.kind == "capability" and alarm.cpk is not None:
            what = f"Cpk {alarm.cpk:.2f}"
        elif alarm.value is not None:
            what = f"{alarm.rule or alarm.kind}: {alarm.value:g}"
        rows.append(AlarmRow(alarm.id, alarm.detected_at, alarm.kind, what, run.serial_number if run else None,
                             alarm.status, causes.get(alarm.cause_code, alarm.cause_code), alarm.action,
                             user.display_name if user else None, minutes))
    return rows, len(alarms)


def _minutes(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f} min" if value < 120 else f"{value / 60:.1f} h"


def limits_text(limits: LimitsUsed | None, t: Translator) -> str:
    """The sentence saying which control limits the chart used."""
    limits = limits or LimitsUsed()
    source = t("limits_frozen", id=limits.set_id) if limits.source == "frozen" else t("limits_computed")
    return t("limits_used", source=source)


def flowables(rows: list[AlarmRow], total: int, t: Translator, st, width: float, head_style) -> list:
    """A page listing the period's alarms and their reaction; nothing when there were none."""
    if not rows:
        return []
    out = [PageBreak(), Paragraph(t("alarms"), st["h2"])]
    table = [[t("alarm"), t("time"), t("alarm_what"), t("serial"), t("alarm_cause"), t("alarm_action"),
              t("alarm_by"), t("alarm_response")]]
    fixed = [1.1 * cm, 2.7 * cm, 2.5 * cm, 2.0 * cm, 2.4 * cm, 2.3 * cm, 1.6 * cm]
    action_width = width - sum(fixed)
    for r in rows:
        status = r.cause or t("alarm_open")
        action = Paragraph(escape(r.action or "–"), st["cell"])  # wraps: the action is the point of the row
        table.append([f"#{r.id}", t.when(r.detected_at), ellipsize(r.what, FONT, 7, fixed[2] - 8),
                      ellipsize(r.serial or "–", FONT, 7, fixed[3] - 8), ellipsize(status, FONT, 7, fixed[4] - 8),
                      action, ellipsize(r.by or "–", FONT, 7, fixed[5] - 8), _minutes(r.response_minutes)])
    widths = [*fixed[:5], action_width, *fixed[5:]]
    style = head_style([("FONT", (0, 1), (-1, -1), FONT, 7), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    out.append(Table(table, colWidths=widths, style=style, repeatRows=1))
    if total > len(rows):
        out.append(Paragraph(t("alarms_more", count=total - len(rows)), st["small"]))
    return out
