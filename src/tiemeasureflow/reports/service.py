"""Report rules: check the selection, take its figures from the statistics service, render the PDF.

Every figure on a report comes from `statistics.service` (which calls `spc`): the reports
only choose, arrange and translate.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..config.server import Settings
from ..identity.principal import Principal
from ..kit.errors import NotFound, Unprocessable
from ..models import Recipe, Subtask
from ..statistics import service as statistics
from ..statistics.chart_options import Grouping, grouped_chart
from ..statistics.scope import StatisticsFilters, as_utc, resolve
from . import alarm_section, char_summary, measurement_rows, spc_source
from .context import describe_filters, report_context
from .data import MeasurementsReport, SpcReport
from .drift_extras import ReportExtras
from .measurements_pdf import render_measurements_report
from .spc_pdf import render_spc_report

EMPTY_SELECTION = "No measurements match the filters: there is nothing to report"
MAX_ID = 2**63 - 1  # ids beyond what any id column holds
UNKNOWN_ID = {"recipe_id": "Recipe not found", "subtask_id": "Subtask not found in this recipe",
              "version_id": "Version not found in this recipe", "station_id": "Station not found"}
# The newest points drawn on the control chart; its limits and rules use the whole selection.
CHART_POINTS = 500
# The detailed table's most rows: about 27 pages, drawn well within the 5 s a report may take on a busy server.
MAX_DETAIL_ROWS = 500


def check_input(filters: StatisticsFilters) -> None:
    """Answer what no stored row can match before a query fails on it (an id past 64 bits, a NUL in a text)."""
    for field, message in UNKNOWN_ID.items():
        value = getattr(filters, field)
        if value is not None and not 1 <= value <= MAX_ID:
            raise NotFound(message)
    if filters.station_code is not None and "\x00" in filters.station_code:
        raise NotFound(UNKNOWN_ID["station_id"])
    if filters.operator_id is not None and not 1 <= filters.operator_id <= MAX_ID:
        raise NotFound(EMPTY_SELECTION)
    if any("\x00" in text for text in (filters.lot_number, filters.serial_number) if text):
        raise NotFound(EMPTY_SELECTION)
    for moment in (filters.date_from, filters.date_to):
        try:
            as_utc(moment)
        except OverflowError:
            raise Unprocessable("date_from and date_to must be within years 1 to 9999 in UTC") from None


def spc_report(session: Session, settings: Settings, principal: Principal, filters: StatisticsFilters,
               chart: str = "imr", subgroup_size: int | None = None, rules: str = "we",
               n_bins: int = 20, extras: ReportExtras | None = None,
               distribution: str = "normal", grouping: Grouping | None = None) -> tuple[str, bytes]:
    """(filename, PDF) of one characteristic: capability, histogram, control charts, violations, sign-off.

    The X-bar charts' subgroup size also chooses sigma within for the capability indices
    (R-bar/d2 for X-bar/R, S-bar/c4 for X-bar/S), so both halves of the report agree. Subgroups by
    run, lot, part or window (`grouping`) are the control-chart route's; the indices then take
    consecutive subgroups of their most common size, as the report states.
    """
    check_input(filters)
    # The chart first: it checks the filters (404) and the chart/subgroup combination (422).
    if grouping is not None and grouping.subgroup_by != "consecutive":
        chart_data = grouped_chart(session, filters, chart, grouping, rules, CHART_POINTS)
    else:
        chart_data = statistics.control_chart_data(session, filters, chart, subgroup_size, rules, CHART_POINTS)
    if chart_data.selection.n == 0:
        raise NotFound(EMPTY_SELECTION)
    estimator = "s_bar" if chart == "xbar_s" else "r_bar"
    cap = statistics.capability_data(session, filters, chart_data.subgroup_size, estimator, distribution=distribution)
    hist = statistics.histogram_data(session, filters, n_bins, distribution)
    recipe = session.get(Recipe, filters.recipe_id)
    period = measurement_rows.period(session, resolve(session, filters))
    # The alarms from the first value on, up to the end of the filtered period (or today: an alarm
    # follows its value).
    alarms, alarms_total = alarm_section.alarms_of(session, cap.spec.characteristic_id,
                                                   (period[0], filters.date_to))
    report = SpcReport(
        context=report_context(session, settings, principal),
        characteristic=spc_source.characteristic(cap, recipe.code, recipe.name),
        filters=describe_filters(session, filters),
        period=period,
        capability=spc_source.capability(cap),
        control=spc_source.control_chart(chart_data, cap, grouping.window_minutes if grouping else None),
        histogram=spc_source.histogram(hist),
        alarms=alarms, alarms_total=alarms_total, limits_used=alarm_section.limits_used(chart_data),
        **(extras.charts(session, filters, chart_data.subgroup_size) if extras else {}),
    )
    return f"spc_report_recipe{recipe.id}_st{filters.subtask_id}.pdf", render_spc_report(report)


def measurements_report(session: Session, settings: Settings, principal: Principal, filters: StatisticsFilters,
                        detail: bool = False, detail_rows: int = MAX_DETAIL_ROWS) -> tuple[str, bytes]:
    """(filename, PDF): counts and a summary per characteristic, and with `detail` the first rows of the table.

    A subtask stands for its characteristic across versions.
    """
    check_input(filters)
    scope = resolve(session, filters)
    summary = statistics.summary(session, filters)
    if summary.total == 0:
        raise NotFound(EMPTY_SELECTION)
    recipe = session.get(Recipe, filters.recipe_id)
    characteristic = None
    if filters.subtask_id is not None:
        subtask = session.get(Subtask, filters.subtask_id)
        characteristic = f"#{subtask.label or subtask.marker_number} {subtask.description or ''}".strip()
    report = MeasurementsReport(
        context=report_context(session, settings, principal),
        recipe_code=recipe.code, recipe_name=recipe.name,
        filters=describe_filters(session, filters, characteristic),
        rows=measurement_rows.table_rows(session, scope, min(detail_rows, MAX_DETAIL_ROWS)) if detail else [],
        total=summary.total,
        counts={"pass": summary.pass_count, "warning": summary.warning_count, "fail": summary.fail_count},
        period=measurement_rows.period(session, scope),
        characteristics=char_summary.summaries(session, scope, filters), detail=detail,
        detail_limit=min(detail_rows, MAX_DETAIL_ROWS),
    )
    return f"measurements_report_recipe{recipe.id}.pdf", render_measurements_report(report)
