"""MSA charts drawn with matplotlib's object API on the Agg canvas (never pyplot: thread-safe)."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 170
CM = 1 / 2.54
LINE = "#1f4e79"
LIMIT = "#c62828"
CENTRE = "#2e7d32"
PALETTE = ("#1f4e79", "#c55a11", "#2e7d32", "#7030a0", "#bf9000", "#00838f", "#ad1457", "#5d4037")


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _style(ax) -> None:
    ax.grid(True, color="#dddddd", linewidth=0.5)
    ax.tick_params(labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _by_appraiser(charts: dict, key: str, limits_key: str, title: str, width_cm: float, height_cm: float) -> bytes:
    """One panel per appraiser, the parts along x, with the chart's centre line and limits."""
    appraisers, parts = charts["appraisers"], charts["parts"]
    fig = Figure(figsize=(width_cm * CM, height_cm * CM), layout="constrained")
    axes = fig.subplots(1, len(appraisers), sharey=True, squeeze=False)[0]
    limits = charts[limits_key]
    for i, (ax, appraiser) in enumerate(zip(axes, appraisers, strict=True)):
        x = range(1, len(parts) + 1)
        ax.plot(x, charts[key][i], color=PALETTE[i % len(PALETTE)], marker="o", markersize=3, linewidth=0.9)
        for value, colour, style in ((limits["ucl"], LIMIT, "--"), (limits["center"], CENTRE, "-"),
                                     (limits["lcl"], LIMIT, "--")):
            ax.axhline(value, color=colour, linestyle=style, linewidth=0.8)
        ax.set_title(appraiser, fontsize=8)
        ax.set_xticks(list(x), parts, fontsize=6)
        _style(ax)
    fig.suptitle(title, fontsize=9)
    return _png(fig)


def range_chart_png(charts: dict, width_cm: float = 17, height_cm: float = 6) -> bytes:
    """Range chart by appraiser (R-bar, UCL = D4 R-bar)."""
    return _by_appraiser(charts, "ranges", "range_limits", "Range chart by appraiser", width_cm, height_cm)


def mean_chart_png(charts: dict, width_cm: float = 17, height_cm: float = 6) -> bytes:
    """X-bar chart by appraiser (grand mean ± A2 R-bar)."""
    return _by_appraiser(charts, "means", "mean_limits", "X̄ chart by appraiser", width_cm, height_cm)


def interaction_png(charts: dict, width_cm: float = 8.5, height_cm: float = 6.5) -> bytes:
    """Part x appraiser interaction: each appraiser's part averages joined."""
    fig = Figure(figsize=(width_cm * CM, height_cm * CM), layout="constrained")
    ax = fig.subplots()
    x = range(1, len(charts["parts"]) + 1)
    for i, appraiser in enumerate(charts["appraisers"]):
        ax.plot(x, charts["means"][i], color=PALETTE[i % len(PALETTE)], marker="o", markersize=3, linewidth=0.9,
                label=appraiser)
    ax.set_xticks(list(x), charts["parts"], fontsize=6)
    ax.legend(fontsize=6)
    ax.set_title("Part x appraiser interaction", fontsize=9)
    _style(ax)
    return _png(fig)


def components_png(anova: dict, average_range: dict, width_cm: float = 8.5, height_cm: float = 6.5) -> bytes:
    """Components of variation: % contribution and % study variation (ANOVA), % total variation (average-range)."""
    fig = Figure(figsize=(width_cm * CM, height_cm * CM), layout="constrained")
    ax = fig.subplots()
    names = ["grr", "repeatability", "reproducibility", "part"]
    labels = ["Gage R&R", "Repeat", "Reprod", "Part-to-part"]
    comp = anova["components"]
    contribution = [comp[n]["percent_contribution"] or 0 for n in names]
    study = [comp[n]["percent_study_var"] or 0 for n in names]
    ar = [average_range.get(k) or 0 for k in ("percent_grr", "percent_ev", "percent_av", "percent_pv")]
    width = 0.27
    for offset, values, colour, label in ((-width, contribution, "#1f4e79", "% Contribution"),
                                          (0, study, "#9dc3e6", "% Study var"),
                                          (width, ar, "#c55a11", "% TV (avg-range)")):
        ax.bar([i + offset for i in range(len(names))], values, width, color=colour, label=label)
    ax.set_xticks(range(len(names)), labels, fontsize=7)
    ax.legend(fontsize=6)
    ax.set_title("Components of variation", fontsize=9)
    _style(ax)
    return _png(fig)


def run_chart_png(type1: dict, width_cm: float = 17, height_cm: float = 7) -> bytes:
    """Type-1 run chart: the readings in order, the reference and the ±10 % tolerance band."""
    fig = Figure(figsize=(width_cm * CM, height_cm * CM), layout="constrained")
    ax = fig.subplots()
    x = range(1, len(type1["readings"]) + 1)
    ax.plot(x, type1["readings"], color=LINE, marker="o", markersize=3, linewidth=0.9)
    ax.axhline(type1["reference"], color=CENTRE, linewidth=0.9)
    ax.axhline(type1["mean"], color=LINE, linestyle=":", linewidth=0.8)
    for bound in (type1["band"]["lower"], type1["band"]["upper"]):
        ax.axhline(bound, color=LIMIT, linestyle="--", linewidth=0.8)
    ax.set_title("Run chart (reference ± 0.1 T)", fontsize=9)
    _style(ax)
    return _png(fig)


def linearity_png(linearity: dict, width_cm: float = 17, height_cm: float = 8) -> bytes:
    """Bias against reference: readings, bias averages, the regression line and its confidence band."""
    fig = Figure(figsize=(width_cm * CM, height_cm * CM), layout="constrained")
    ax = fig.subplots()
    band = linearity["band"]
    ax.scatter(linearity["points"]["reference"], linearity["points"]["bias"], s=8, color="#9dc3e6")
    ax.scatter([r["reference"] for r in linearity["per_reference"]], [r["bias"] for r in linearity["per_reference"]],
               s=22, color=LIMIT, marker="s", zorder=3)
    ax.plot(band["reference"], band["fit"], color=LINE, linewidth=1)
    ax.fill_between(band["reference"], band["lower"], band["upper"], color=LINE, alpha=0.12)
    ax.axhline(0, color="#666666", linewidth=0.6)
    ax.set_xlabel("Reference", fontsize=7)
    ax.set_ylabel("Bias", fontsize=7)
    ax.set_title("Bias and linearity (95 % confidence band)", fontsize=9)
    _style(ax)
    return _png(fig)
