"""Report charts drawn with matplotlib's object API on the Agg canvas (never pyplot: thread-safe)."""

from __future__ import annotations

import functools
import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from .data import CharacteristicLimits, ChartSeries, ControlChart, Histogram
from .i18n import Translator

DPI = 200
CM = 1 / 2.54
LINE_COLOUR = "#1f4e79"
OUT_COLOUR = "#c00000"
CENTRE_COLOUR = "#2e7d32"
LIMIT_COLOUR = "#c62828"
WARN_COLOUR = "#e69500"
BAR_COLOUR = "#9dc3e6"
SERIES_KEYS = {"i": "series_i", "mr": "series_mr", "xbar": "series_xbar", "r": "series_r", "s": "series_s"}
CHART_SYMBOLS = {"i": "X", "mr": "MR", "xbar": "X̄", "r": "R", "s": "S"}


class _LocalFormatter(ScalarFormatter):
    """Plain tick labels (no offset, no exponent) with the language's decimal mark."""

    def __init__(self, language: str):
        super().__init__(useOffset=False, useMathText=False)
        self.set_scientific(False)
        self.decimal_comma = language == "it"

    def __call__(self, x, pos=None):
        text = super().__call__(x, pos)
        return text.replace(".", ",") if self.decimal_comma else text


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _drawable(draw):
    """A chart that cannot be drawn (values near the double range overflow matplotlib's axes) becomes a note."""

    @functools.wraps(draw)
    def wrapper(data, *args, **kwargs):
        try:
            return draw(data, *args, **kwargs)
        except (ValueError, OverflowError, FloatingPointError):
            t = next(a for a in args if isinstance(a, Translator))
            width_cm, height_cm = args[-2], args[-1]
            fig = Figure(figsize=(width_cm * CM, height_cm * CM))
            fig.text(0.5, 0.5, t("chart_not_drawable"), ha="center", va="center", fontsize=8, color="#555555")
            return _png(fig)

    return wrapper


def _style(ax, t: Translator) -> None:
    ax.yaxis.set_major_formatter(_LocalFormatter(t.language))
    ax.grid(True, color="#dddddd", linewidth=0.5)
    ax.tick_params(labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _draw_series(ax, series: ChartSeries, t: Translator, unit: str) -> None:
    """Points joined in order, centre line and control limits labelled on the right, out-of-control in red."""
    many = len(series.x) > 150
    ax.plot(series.x, series.y, color=LINE_COLOUR, linewidth=0.6 if many else 0.9,
            marker="o", markersize=1.2 if many else 2.5, zorder=2)
    lines = [(value, colour, style, label) for value, colour, style, label in (
        (series.ucl, LIMIT_COLOUR, "--", "UCL"), (series.center, CENTRE_COLOUR, "-", "CL"),
        (series.lcl, LIMIT_COLOUR, "--", "LCL"),
    ) if value is not None]
    stepped = bool(series.own_limits)
    for value, colour, style, label in lines:
        if stepped and label != "CL":
            continue
        ax.axhline(value, color=colour, linestyle=style, linewidth=0.9, zorder=1)
    if stepped:  # unequal subgroups: each point's own limits, the newest labelled on the right
        xs = [x for x, _, _ in series.own_limits]
        for column in (1, 2):
            ys = [limit[column] if limit[column] is not None else float("nan") for limit in series.own_limits]
            ax.step(xs, ys, where="mid", color=LIMIT_COLOUR, linestyle="--", linewidth=0.9, zorder=1)
    positions = {x: i for i, x in enumerate(series.x)}
    marked = [positions[x] for x in series.out_of_control if x in positions]
    if marked:
        ax.scatter([series.x[i] for i in marked], [series.y[i] for i in marked], s=22 if not many else 12,
                   facecolors="none", edgecolors=OUT_COLOUR, linewidths=1.1, zorder=3,
                   label=t("out_of_control"))
        # Beside the title, above the plot, so it never hides a point.
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=6.5, frameon=False, borderaxespad=0.1,
                  handletextpad=0.3)
    symbol = CHART_SYMBOLS.get(series.kind, series.kind.upper())
    name = t(SERIES_KEYS[series.kind]) if series.kind in SERIES_KEYS else series.kind
    ax.set_title(f"{name} ({symbol})", fontsize=8, loc="left")
    ax.set_ylabel(unit, fontsize=7)
    _style(ax, t)
    own = [v for _, ucl, lcl in series.own_limits for v in (ucl, lcl)]
    values = [v for v in (*series.y, series.ucl, series.lcl, series.center, *own) if v is not None]
    if values:
        low, high = min(values), max(values)
        pad = (high - low) * 0.08 or abs(high) * 0.01 or 1.0
        ax.set_ylim(low - pad, high + pad)
    _label_lines(ax, lines, t)
    if series.x:
        first, last = min(series.x), max(series.x)
        extra = max(0.5, (last - first) * 0.02)  # whole sample numbers only, even for a single point
        ax.set_xlim(first - extra, last + extra)


def _label_lines(ax, lines: list, t: Translator) -> None:
    """"UCL = ..." beside each line, right of the plot, pushed apart so close limits stay readable."""
    low, high = ax.get_ylim()
    spot = sorted(((value - low) / (high - low), value, colour, label) for value, colour, _, label in lines)
    gap = 0.11
    placed: list[float] = []
    for fraction, *_ in spot:
        placed.append(max(fraction, placed[-1] + gap) if placed else fraction)
    overflow = (placed[-1] - 1.0) if placed else 0.0
    if overflow > 0:  # pushed past the top: shift the stack down, keeping the gaps
        placed = [p - overflow for p in placed]
    for (_, value, colour, label), y in zip(spot, placed, strict=False):
        ax.text(1.005, y, f"{label} = {t.number(value, significant=5)}", transform=ax.transAxes, fontsize=6.5,
                color=colour, va="center", clip_on=False)


@_drawable
def control_chart_png(control: ControlChart, t: Translator, unit: str, width_cm: float, height_cm: float) -> bytes:
    """The primary chart over its MR/R/S chart, sharing the sample axis."""
    fig = Figure(figsize=(width_cm * CM, height_cm * CM), layout="constrained")
    if control.secondary is not None:
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    else:
        top, bottom = fig.subplots(1, 1), None
    _draw_series(top, control.primary, t, unit)
    last = bottom if bottom is not None else top
    if bottom is not None:
        _draw_series(bottom, control.secondary, t, unit)
    last.set_xlabel(t("sample") if control.chart == "imr" else t("subgroup"), fontsize=7)
    last.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.get_layout_engine().set(w_pad=0.02, h_pad=0.04)
    return _png(fig)


@_drawable
def histogram_png(histogram: Histogram, limits: CharacteristicLimits, t: Translator, unit: str,
                  width_cm: float, height_cm: float) -> bytes:
    """Bars of the counts, the normal curve and the tolerance, warning and nominal lines."""
    fig = Figure(figsize=(width_cm * CM, height_cm * CM), layout="constrained")
    ax = fig.subplots()
    edges, counts = histogram.edges, histogram.counts
    if counts:
        widths = [edges[i + 1] - edges[i] for i in range(len(counts))]
        ax.bar(edges[:-1], counts, width=widths, align="edge", color=BAR_COLOUR, edgecolor="white",
               linewidth=0.4, label=t("measurements"))
    if histogram.curve_x:
        ax.plot(histogram.curve_x, histogram.curve_y, color=LINE_COLOUR, linewidth=1.2, label=t("normal_curve"))
    if histogram.fitted_x:
        ax.plot(histogram.fitted_x, histogram.fitted_y, color=LIMIT_COLOUR, linewidth=1.4,
                label=t("fitted_curve", name=t(f"dist_{histogram.fitted_name}")))
    lines = [(limits.ltl, "LTL", LIMIT_COLOUR, "--"), (limits.utl, "UTL", LIMIT_COLOUR, "--"),
             (limits.lwl, "LWL", WARN_COLOUR, ":"), (limits.uwl, "UWL", WARN_COLOUR, ":"),
             (limits.nominal, t("nominal"), "#555555", "-.")]
    drawn = [(v, label, colour, style) for v, label, colour, style in lines if v is not None]
    xs = [*edges, *histogram.curve_x, *(v for v, *_ in drawn)]
    if xs:
        low, high = min(xs), max(xs)
        pad = (high - low) * 0.04 or 1.0
        ax.set_xlim(low - pad, high + pad)
    top = max([*counts, *histogram.curve_y, *histogram.fitted_y, 1]) * 1.18
    ax.set_ylim(0, top)
    for value, label, colour, style in drawn:
        ax.axvline(value, color=colour, linestyle=style, linewidth=1.0)
        ax.text(value, 0.985, label, transform=ax.get_xaxis_transform(), fontsize=6.5, color=colour,
                ha="center", va="top", bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    ax.set_xlabel(f"{t('value')} [{unit}]" if unit else t("value"), fontsize=7)
    ax.set_ylabel(t("frequency"), fontsize=7)
    ax.xaxis.set_major_formatter(_LocalFormatter(t.language))
    _style(ax, t)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(_LocalFormatter(t.language))
    # Above the plot: the limit lines can fall anywhere inside it.
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, fontsize=6.5, frameon=False, borderaxespad=0.1)
    return _png(fig)
