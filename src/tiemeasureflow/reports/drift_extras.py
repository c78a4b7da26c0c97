"""Which EWMA/CUSUM and attribute charts an SPC report adds, and their figures from the statistics service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Query
from sqlalchemy.orm import Session

from ..statistics import drift
from ..statistics.attribute_schemas import AttributeGrouping, AttributeKind
from ..statistics.attributes import attribute_data
from ..statistics.chart_options import drift_parameters as drift_parameters_query
from ..statistics.scope import StatisticsFilters
from ..statistics.selection import CharacteristicData

# As on the dashboard: the newest points of a drift chart drawn; its statistic uses the whole selection.
DRIFT_POINTS = 500


@dataclass(frozen=True)
class ReportExtras:
    """The charts asked for beside the control chart (None: not on the report)."""

    drift_chart: str | None = None
    drift_parameters: drift.DriftParameters | None = None
    attribute: str | None = None
    attribute_by: str = "lot"

    def charts(self, session: Session, filters: StatisticsFilters, subgroup_size: int) -> dict:
        """{"drift": ..., "attribute": ...} answers of the statistics service (drift of the chart's subgroups)."""
        found = {}
        if self.drift_chart:
            data = CharacteristicData(session, filters)
            found["drift"] = drift.build(session, data, self.drift_chart, subgroup_size,
                                         self.drift_parameters or drift.DriftParameters(), DRIFT_POINTS)
        if self.attribute:
            found["attribute"] = attribute_data(session, filters, self.attribute, self.attribute_by, 25)
        return found


def report_extras(
    drift_chart: Annotated[Literal["ewma", "cusum"] | None, Query(
        description="Add an EWMA or CUSUM chart page of the report's individuals or subgroups "
                    "(parameters as on GET /statistics/control-chart)")] = None,
    drift_parameters: Annotated[drift.DriftParameters, Depends(drift_parameters_query)] = None,
    attribute: Annotated[AttributeKind | None, Query(description="Add a p, np, c or u chart page")] = None,
    attribute_by: Annotated[AttributeGrouping, Query(description="Subgroups of the attribute chart")] = "lot",
) -> ReportExtras:
    """The extra chart pages of an SPC report request."""
    return ReportExtras(drift_chart, drift_parameters, attribute, attribute_by)
