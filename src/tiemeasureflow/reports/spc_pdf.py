"""The SPC report: identification, capability with bands, histogram, control charts, violations, signature."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from . import alarm_section, charts, drift_section
from .data import Capability, CharacteristicLimits, ControlChart, SpcReport
from .i18n import Translator
from .layout import (
    BAND_COLOURS,
    FONT,
    FONT_BOLD,
    GRID,
    HEAD_BG,
    LIGHT_BG,
    FlexibleChart,
    content_width,
    ellipsize,
    numbered_canvas,
    page_decorator,
    report_document,
    styles,
)

CONTENT_WIDTH = content_width(A4)
INDEX_ORDER = ("cp", "cpk", "cpu", "cpl", "pp", "ppk", "ppu", "ppl", "cpm")
INDEX_LABELS = {"cp": "Cp", "cpk": "Cpk", "cpu": "Cpu", "cpl": "Cpl", "pp": "Pp", "ppk": "Ppk", "ppu": "Ppu",
                "ppl": "Ppl", "cpm": "Cpm"}
CHART_KEYS = {"imr": "chart_imr", "xbar_r": "chart_xbar_r", "xbar_s": "chart_xbar_s"}
# Sized so page 1 and page 2 never overflow: the report stays two pages long.
HISTOGRAM_CM = 9.0
CONTROL_CHART_CM = 9.5
MAX_VIOLATION_ROWS = 10
MAX_DESCRIPTION = 240
GOOD, MARGINAL = 1.33, 1.00


def band(value: float | None) -> str | None:
    """Colour band of a capability index: good (>= 1.33), marginal (1.00-1.33), poor (< 1.00)."""
    if value is None:
        return None
    return "good" if value >= GOOD else "marginal" if value >= MARGINAL else "poor"


def render_spc_report(report: SpcReport) -> bytes:
    """The report as PDF bytes: page 1 identification, capability, histogram; page 2 charts and sign-off."""
    t = Translator(report.context.language)
    st = styles()
    char = report.characteristic
    buffer = io.BytesIO()
    title = t("spc_title")
    subtitle = f"{char.recipe_code} · #{char.marker_number} {char.description}"
    doc = report_document(buffer, A4, f"{title} {char.recipe_code} #{char.marker_number}", title,
                          report.context.generated_by)
    story = [
        Paragraph(_esc(ellipsize(f"{t('characteristic')} #{char.marker_number}: {char.description}", FONT_BOLD, 14,
                                 CONTENT_WIDTH)), st["h1"]),
        _identification(report, t, st),
        Paragraph(_esc(t("capability")), st["h2"]),
        _capability_tables(report.capability, char.unit, t, st),
        Paragraph(_esc(t("bands_legend")), st["small"]),
        Paragraph(_esc(_distribution_line(report.capability, t)), st["small"]),
        Paragraph(t("histogram"), st["h2"]),
        FlexibleChart(lambda w, h: charts.histogram_png(report.histogram, char.limits, t, char.unit, w, h),
                      CONTENT_WIDTH, 5.5, HISTOGRAM_CM),
        PageBreak(),
        Paragraph(f"{t('control_chart')}: {t(CHART_KEYS.get(report.control.chart, 'chart_imr'))}", st["h2"]),
        *_chart_notes(report.control, t, st),
        FlexibleChart(lambda w, h: charts.control_chart_png(report.control, t, char.unit, w, h),
                      CONTENT_WIDTH, CONTROL_CHART_CM, CONTROL_CHART_CM),
        _control_limits(report.control, report.characteristic.unit, t),
        Spacer(1, 0.15 * cm),
        Paragraph(f"{t('rules_' + report.control.rules)}: {t.rule_legend(report.control.rules)} "
                  f"{alarm_section.limits_text(report.limits_used, t)}", st["small"]),
        Paragraph(t("violations"), st["h2"]),
        *_violations(report.control, t, st),
        Spacer(1, 0.4 * cm),
        _approval(report, t, st),
        # The alarms of the period on a page of their own, so the two-page layout above never moves.
        *alarm_section.flowables(report.alarms, report.alarms_total, t, st, CONTENT_WIDTH, _head_style),
        *drift_section.flowables(report.drift, report.attribute, t, st, CONTENT_WIDTH),
    ]
    doc.build(story, canvasmaker=numbered_canvas(page_decorator(report.context, title, subtitle, t)))
    return buffer.getvalue()


def _esc(text: str | None) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cap(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """Very long descriptions cut, so page 1 keeps its room for the histogram."""
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _p(text: str, style) -> Paragraph:
    return Paragraph(_esc(text), style)


def limits_text(limits: CharacteristicLimits, t: Translator, lower: str, upper: str) -> str:
    """"LTL 9.5 / UTL 10.5", saying which side is open."""
    low = getattr(limits, lower.lower())
    high = getattr(limits, upper.lower())
    if low is None and high is None:
        return t("none")
    return (f"{lower} {t.number(low) if low is not None else t('not_set')} / "
            f"{upper} {t.number(high) if high is not None else t('not_set')}")


def subgroup_basis(control: ControlChart, t: Translator) -> str:
    """"subgroups by lot: 12, of 3 to 5 values, each with its own limits", or the consecutive size."""
    if control.subgroup_by == "consecutive" or control.sizes is None:
        return t("subgroups_consecutive", n=control.subgroup_size)
    basis = t(f"subgroups_by_{control.subgroup_by}", m=control.window_minutes or 60)
    low, high = control.sizes
    sizes = t("subgroups_equal", count=control.points_total, n=low) if low == high else \
        t("subgroups_unequal", count=control.points_total, low=low, high=high)
    return f"{basis}: {sizes}"


def _identification(report: SpcReport, t: Translator, st) -> Table:
    char, cell = report.characteristic, st["cell"]
    label = lambda key: Paragraph(f"<b>{_esc(t(key))}</b>", cell)  # noqa: E731
    versions = ", ".join(str(v) for v in char.versions)
    filters = t.filters(report.filters)
    control = report.control
    chart = t(CHART_KEYS.get(control.chart, "chart_imr"))
    if control.chart != "imr":
        chart += f"; {subgroup_basis(control, t)}"
    chart += f"; {t('rules_' + control.rules)}"
    period = f"{t.when(report.period[0])} – {t.when(report.period[1])} UTC"
    rows = [
        [label("recipe"), _p(f"{char.recipe_code} – {char.recipe_name}", cell),
         label("versions" if len(char.versions) > 1 else "version"), _p(versions, cell)],
        [label("characteristic"), _p(_cap(f"#{char.marker_number} {char.description}"), cell), label("unit"),
         _p(char.unit or "–", cell)],
        [label("nominal"), _p(t.number(char.limits.nominal) if char.limits.nominal is not None else t("not_set"), cell),
         label("tolerance"), _p(limits_text(char.limits, t, "LTL", "UTL"), cell)],
        [label("sample_size"), _p(f"n = {report.capability.n}", cell), label("warning_limits"),
         _p(limits_text(char.limits, t, "LWL", "UWL"), cell)],
        [label("period"), _p(period, cell), "", ""],
        [label("chart"), _p(chart, cell), "", ""],
        [label("filters"), _p(filters, cell), "", ""],
    ]
    widths = [3.0 * cm, 6.6 * cm, 3.0 * cm, CONTENT_WIDTH - 12.6 * cm]
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (0, -1), LIGHT_BG), ("BACKGROUND", (2, 0), (2, 3), LIGHT_BG),
        ("SPAN", (1, 4), (3, 4)), ("SPAN", (1, 5), (3, 5)), ("SPAN", (1, 6), (3, 6)),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _head_style(extra: list | None = None) -> TableStyle:
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8), ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        *(extra or []),
    ])


def _capability_tables(cap: Capability, unit: str, t: Translator, st) -> Table:
    """Indices with CI and band on the left, the figures behind them on the right."""
    percent = f"{cap.confidence * 100:g}"
    rows = [[t("index"), t("value"), t("ci", p=percent), t("one_sided", p=percent), t("rating")]]
    extra = []
    for key in INDEX_ORDER:
        if key == "cpm" and key not in cap.indices:
            continue
        value = cap.indices.get(key)
        interval = cap.intervals.get(key)
        ci = f"{t.number(interval[0], 3)} … {t.number(interval[1], 3)}" if interval else "–"
        rating = band(value)
        one_sided = cap.one_sided.get(key)
        rows.append([INDEX_LABELS[key], t.number(value, 3), ci, "≥ " + t.number(one_sided, 3) if one_sided else "–",
                     t(f"band_{rating}") if rating else "–"])
        if rating:
            extra += [("BACKGROUND", (1, len(rows) - 1), (1, len(rows) - 1), BAND_COLOURS[rating]),
                      ("BACKGROUND", (4, len(rows) - 1), (4, len(rows) - 1), BAND_COLOURS[rating])]
    # Five columns in the left half: the header a point smaller so every title fits its column.
    extra += [("ALIGN", (1, 1), (3, -1), "RIGHT"), ("FONT", (0, 1), (0, -1), FONT_BOLD, 8),
              ("FONT", (0, 0), (-1, 0), FONT_BOLD, 7), ("LEFTPADDING", (0, 0), (-1, -1), 3),
              ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    left = Table(rows, colWidths=[1.1 * cm, 1.2 * cm, 2.3 * cm, 1.7 * cm, 1.8 * cm], style=_head_style(extra))

    estimator = estimator_label(cap.sigma_estimator)
    below_w, above_w = cap.ppm_expected_within
    below_e, above_e = cap.ppm_expected_overall
    below_o, above_o = cap.ppm_observed
    stat_rows = [
        [t("statistics"), ""],
        ["n", str(cap.n)],
        [t("mean"), _with_unit(t.number(cap.mean), unit)],
        [t("sigma_within", estimator=estimator), _with_unit(t.number(cap.sigma_within), unit)],
        [t("sigma_overall"), _with_unit(t.number(cap.sigma_overall), unit)],
        [t("ppm_expected_within"), f"{t.number(below_w, 1)} / {t.number(above_w, 1)}"],
        [t("ppm_expected_overall"), f"{t.number(below_e, 1)} / {t.number(above_e, 1)}"],
        [t("ppm_observed"), f"{t.number(below_o, 1)} / {t.number(above_o, 1)}"],
        [t("normality"), _normality(cap, t)],
    ]
    right_width = CONTENT_WIDTH - 8.1 * cm - 0.4 * cm
    right = Table([[_p(a, st["cell"]) if i else a, b] for i, (a, b) in enumerate(stat_rows)],
                  colWidths=[right_width * 0.55, right_width * 0.45],
                  style=_head_style([("SPAN", (0, 0), (1, 0)), ("ALIGN", (1, 1), (1, -1), "RIGHT")]))
    cells = [[left, "", right]]
    if cap.reason:
        cells.append([_p(t("capability_missing", reason=t.note(cap.reason)), st["cell"]), "", ""])
    outer = Table(cells, colWidths=[8.1 * cm, 0.4 * cm, right_width])
    outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("SPAN", (0, 1), (2, 1))]))
    return outer


def _distribution_line(cap: Capability, t: Translator) -> str:
    """Which distribution the P indices rest on, and a warning when they rest on few values."""
    text = t("distribution_normal") if cap.distribution == "normal" else t("distribution_percentile",
                                                                            name=t(f"dist_{cap.distribution}"))
    if cap.anderson_darling is not None and cap.distribution != "normal":
        text += f" (A² {t.number(cap.anderson_darling, 3)})"
    return text + (" " + t("few_values", n=cap.n) if cap.few_values else "")


def estimator_label(name: str | None) -> str:
    """"R-bar/d2(n)" written as a formula: R̄/d₂(n)."""
    if not name:
        return "–"
    for plain, symbol in (("MR-bar", "MR̄"), ("R-bar", "R̄"), ("S-bar", "S̄"), ("/d2", "/d₂"), ("/c4", "/c₄")):
        name = name.replace(plain, symbol)
    return name


def _control_limits(control: ControlChart, unit: str, t: Translator) -> Table:
    """The centre lines and limits in figures, for whoever checks them by hand."""
    rows = [[t("control_chart"), "LCL", "CL", "UCL"]]
    for series in (control.primary, control.secondary):
        if series is None:
            continue
        symbol = charts.CHART_SYMBOLS.get(series.kind, series.kind)
        name = f"{t(charts.SERIES_KEYS[series.kind])} ({symbol})"
        rows.append([name, *(t.number(v, significant=6) for v in (series.lcl, series.center, series.ucl))])
    rows[0][0] = f"{t('control_chart')} [{unit}]" if unit else t("control_chart")
    width = (CONTENT_WIDTH - 6.0 * cm) / 3
    return Table(rows, colWidths=[6.0 * cm, width, width, width],
                 style=_head_style([("ALIGN", (1, 0), (-1, -1), "RIGHT")]))


def _normality(cap: Capability, t: Translator) -> str:
    if cap.normality_statistic is None and cap.normality_reason is not None:
        return t.note(cap.normality_reason)
    return t("normality_value", stat=t.number(cap.normality_statistic, 3), p=_p_value(cap.normality_p_value, t))


def _p_value(p: float | None, t: Translator) -> str:
    return f"< {t.number(0.0001, 4)}" if p is not None and p < 0.0001 else t.number(p, 4)


def _with_unit(number: str, unit: str) -> str:
    return f"{number} {unit}" if unit and number != "–" else number


def _chart_notes(control: ControlChart, t: Translator, st) -> list[Paragraph]:
    notes = []
    shown = len(control.primary.x)
    if shown < control.points_total:
        notes.append(t("points_shown", shown=shown, total=control.points_total))
    notes += [t.note(note) for note in control.notes]
    return [Paragraph(_esc(" ".join(notes)), st["small"])] if notes else []


def _violations(control: ControlChart, t: Translator, st) -> list:
    """The most recent flagged points (point, time, value, serial, rules); a count of those left out."""
    hidden = max(control.violations_total, len(control.violations))
    if not hidden:
        return [Paragraph(t("no_violations"), st["body"])]
    listed = control.violations[-MAX_VIOLATION_ROWS:]
    hidden -= len(listed)
    flowables = []
    if listed:
        point = t("sample") if control.chart == "imr" else t("subgroup")
        rows = [[point, t("time"), t("value"), t("serial"), t("rules")]]
        for v in listed:
            rows.append([str(v.point), t.when(v.time), t.number(v.value), ellipsize(v.serial or "–", FONT, 8, 4.6 * cm - 12),
                         ", ".join(v.rules)])
        flowables.append(Table(rows, colWidths=[2.5 * cm, 3.6 * cm, 2.5 * cm, 4.6 * cm, CONTENT_WIDTH - 13.2 * cm],
                               style=_head_style([("ALIGN", (2, 1), (2, -1), "RIGHT")])))
    if hidden:
        flowables.append(Paragraph(t("violations_more", count=hidden), st["small"]))
    return flowables


def _approval(report: SpcReport, t: Translator, st) -> KeepTogether:
    ctx = report.context
    generated = t("generated", at=t.when(ctx.generated_at) + " UTC", by=ctx.generated_by)
    rows = [[t("reviewed_by"), "", t("date"), "", t("signature")], ["", "", "", "", ""]]
    gap = 0.6 * cm
    field = (CONTENT_WIDTH - 2 * gap) / 3
    table = Table(rows, colWidths=[field, gap, field, gap, field], rowHeights=[0.5 * cm, 1.2 * cm])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               *[("LINEBELOW", (c, 1), (c, 1), 0.7, colors.black) for c in (0, 2, 4)]]))
    return KeepTogether([Paragraph(t("approval"), st["h2"]), Paragraph(_esc(generated), st["body"]),
                         Spacer(1, 0.2 * cm), table])
