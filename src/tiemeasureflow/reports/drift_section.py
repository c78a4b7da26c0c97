"""The SPC report's page of EWMA/CUSUM and attribute charts, when the report was asked for them."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from reportlab.platypus import PageBreak, Paragraph

from .charts import CENTRE_COLOUR, CM, LIMIT_COLOUR, LINE_COLOUR, OUT_COLOUR, _drawable, _LocalFormatter, _png
from .i18n import Translator
from .layout import FlexibleChart

CHART_CM = 8.5


def flowables(drift, attribute, t: Translator, st, width: float) -> list:
    """A page with the requested charts (nothing when none was requested)."""
    if drift is None and attribute is None:
        return []
    story = [PageBreak(), Paragraph(t("drift_title"), st["h2"])]
    if drift is not None:
        params = (f"λ {t.number(drift.ewma_lambda)}, L {t.number(drift.ewma_l)}" if drift.chart == "ewma"
                  else f"k {t.number(drift.cusum_k)}, h {t.number(drift.cusum_h)}")
        story += [Paragraph(t(drift.chart), st["h2"]),
                  Paragraph(t("drift_summary", target=t.number(drift.target), sigma=t.number(drift.sigma),
                              source=t("source_" + drift.parameters_source), params=params,
                              signals=drift.out_of_control_total, points=drift.points_total), st["small"]),
                  FlexibleChart(lambda w, h: drift_png(drift, t, w, h), width, 6.0, CHART_CM)]
    if attribute is not None:
        story += [Paragraph(t("attribute", chart=attribute.chart, by=t("by_" + attribute.subgroup_by)),
                            st["h2"]),
                  Paragraph(t("attribute_summary", units=attribute.units, bad=attribute.nonconforming,
                               values=attribute.nonconformities, center=t.number(attribute.center_line),
                               signals=len(attribute.out_of_control_indices)), st["small"]),
                  FlexibleChart(lambda w, h: attribute_png(attribute, t, w, h), width, 6.0, CHART_CM)]
    return story


def _axes(width_cm: float, height_cm: float, t: Translator):
    fig = Figure(figsize=(width_cm * CM, height_cm * CM), layout="constrained")
    ax = fig.add_subplot()
    ax.yaxis.set_major_formatter(_LocalFormatter(t.language))
    ax.tick_params(labelsize=7)
    ax.grid(True, color="#dddddd", linewidth=0.4)
    return fig, ax


@_drawable
def drift_png(drift, t: Translator, width: float, height: float) -> bytes:
    """The EWMA statistic or the two CUSUM sums with each point's limits, signals circled."""
    fig, ax = _axes(width, height, t)
    x = np.array([p.x for p in drift.points])
    ucl = [p.ucl for p in drift.points]
    lcl = [p.lcl for p in drift.points]
    if drift.chart == "ewma":
        y = np.array([p.y for p in drift.points], dtype=float)
        ax.plot(x, y, color=LINE_COLOUR, linewidth=0.9, marker="o", markersize=2.5, label="EWMA")
        ax.axhline(drift.center_line, color=CENTRE_COLOUR, linewidth=0.8)
    else:
        y = np.array([p.y for p in drift.points], dtype=float)
        low = -np.array([p.lower_sum for p in drift.points], dtype=float)
        ax.plot(x, y, color=LINE_COLOUR, linewidth=0.9, marker="o", markersize=2.5, label=t("upper_sum"))
        ax.plot(x, low, color="#8e24aa", linewidth=0.9, marker="o", markersize=2.5, label=t("lower_sum"))
        ax.axhline(0.0, color=CENTRE_COLOUR, linewidth=0.8)
        hits = [p for p in drift.points if p.lower_sum is not None and p.ucl is not None and p.lower_sum > p.ucl]
        ax.plot([p.x for p in hits], [-p.lower_sum for p in hits], linestyle="none", marker="o", markersize=7,
                markerfacecolor="none", markeredgecolor=OUT_COLOUR)
    ax.step(x, ucl, where="mid", color=LIMIT_COLOUR, linewidth=0.8, linestyle="--", label="UCL / LCL")
    ax.step(x, lcl, where="mid", color=LIMIT_COLOUR, linewidth=0.8, linestyle="--")
    hits = [p for p in drift.points if p.signal and (drift.chart == "ewma" or (p.ucl is not None and p.y > p.ucl))]
    ax.plot([p.x for p in hits], [p.y for p in hits], linestyle="none", marker="o", markersize=7,
            markerfacecolor="none", markeredgecolor=OUT_COLOUR)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=6, loc="upper left")
    return _png(fig)


@_drawable
def attribute_png(attribute, t: Translator, width: float, height: float) -> bytes:
    """The plotted values by subgroup with each subgroup's limits, points beyond them circled."""
    fig, ax = _axes(width, height, t)
    x = np.arange(len(attribute.points))
    ax.plot(x, [p.value for p in attribute.points], color=LINE_COLOUR, linewidth=0.9, marker="o", markersize=2.5)
    ax.step(x, [p.ucl for p in attribute.points], where="mid", color=LIMIT_COLOUR, linewidth=0.8, linestyle="--")
    ax.step(x, [p.lcl for p in attribute.points], where="mid", color=LIMIT_COLOUR, linewidth=0.8, linestyle="--")
    ax.step(x, [p.center for p in attribute.points], where="mid", color=CENTRE_COLOUR, linewidth=0.8)
    hits = [i for i, p in enumerate(attribute.points) if p.signal]
    ax.plot(hits, [attribute.points[i].value for i in hits], linestyle="none", marker="o", markersize=7,
            markerfacecolor="none", markeredgecolor=OUT_COLOUR)
    step = max(1, len(x) // 25)
    ax.set_xticks(x[::step], [p.key for p in attribute.points][::step], rotation=60, ha="right", fontsize=6)
    return _png(fig)
