"""The MSA study report: identification, results of both methods, charts, the verdict and sign-off."""

from __future__ import annotations

import io
from html import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from ..reports.data import ReportContext
from ..reports.i18n import Translator
from ..reports.layout import (
    FONT,
    FONT_BOLD,
    GRID,
    HEAD_BG,
    LIGHT_BG,
    content_width,
    numbered_canvas,
    page_decorator,
    report_document,
    styles,
)
from . import charts

WIDTH = content_width(A4)
VERDICT_COLOURS = {"acceptable": "#c6efce", "conditional": "#ffe699", "unacceptable": "#ffc7ce"}
KIND_TITLES = {"grr_crossed": "Gauge R&R study (crossed)", "type1": "Type-1 gauge study",
               "linearity": "Bias and linearity study"}


def fmt(value, digits: int = 4) -> str:
    """A number to `digits` significant digits; a dash when absent."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}g}"


def _table(rows: list[list], widths: list[float] | None = None, verdict_cell: tuple | None = None) -> Table:
    table = Table([[str(c) if not hasattr(c, "wrap") else c for c in row] for row in rows],
                  colWidths=widths, repeatRows=1)
    style = [("FONT", (0, 0), (-1, -1), FONT, 7.5), ("FONT", (0, 0), (-1, 0), FONT_BOLD, 7.5),
             ("TEXTCOLOR", (0, 0), (-1, 0), colors.white), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
             ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
             ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, LIGHT_BG])]
    if verdict_cell:
        cell, verdict = verdict_cell
        style.append(("BACKGROUND", cell, cell, colors.HexColor(VERDICT_COLOURS.get(verdict, "#ffffff"))))
    table.setStyle(TableStyle(style))
    return table


def _image(png: bytes, width_cm: float, height_cm: float) -> Image:
    return Image(io.BytesIO(png), width=width_cm * cm, height=height_cm * cm)


def _identification(study: dict, gauge: dict | None) -> Table:
    rows = [["Study", "Value"], ["Name", study["name"]], ["Kind", KIND_TITLES[study["kind"]]],
            ["Study id", study["id"]], ["Status", study["status"]]]
    if gauge:
        rows += [["Gauge", f"{gauge['code']} – {gauge['name']} ({gauge['kind']})"],
                 ["Gauge resolution", fmt(gauge.get("resolution"))],
                 ["Calibration due", str(gauge.get("next_due_on") or "–")]]
    elif study.get("gauge_code"):
        rows.append(["Gauge", study["gauge_code"]])
    rows += [["Tolerance (USL - LSL)", fmt(study.get("tolerance"))],
             ["Finished", study["finished_at"].strftime("%Y-%m-%d %H:%M UTC") if study.get("finished_at") else "–"]]
    return _table(rows, [5 * cm, WIDTH - 5 * cm])


def _grr(study: dict, st) -> list:
    ar, an = study["average_range"], study["anova"]
    tol = study.get("tolerance")
    head = ["Source (average & range)", "Std. dev.", "% Total variation"] + (["% Tolerance"] if tol else [])
    rows = [head]
    for key, label in (("ev", "Repeatability (EV)"), ("av", "Reproducibility (AV)"), ("grr", "Gauge R&R (GRR)"),
                       ("pv", "Part variation (PV)"), ("tv", "Total variation (TV)")):
        row = [label, fmt(ar[key]), fmt(ar.get(f"percent_{key}")) if key != "tv" else "100"]
        if tol:
            row.append(fmt(ar.get(f"percent_tolerance_{key}")) if key != "tv" else "–")
        rows.append(row)
    story = [Paragraph("Average and range method (AIAG MSA 4th ed.)", st["h2"]), _table(rows),
             Paragraph(escape(f"K1 = {ar['k1']}, K2 = {ar['k2']}, K3 = {ar['k3']}; R̄ = {fmt(ar['r_bar'])}, "
                              f"X̄diff = {fmt(ar['x_diff'])}, Rp = {fmt(ar['r_p'])}; ndc = {fmt(ar['ndc'])}; "
                              f"%GRR {fmt(ar['percent_grr'], 3)} %: {ar['acceptance']}"), st["small"])]
    story.append(Paragraph("ANOVA method", st["h2"]))
    for title, table in (("Two-way ANOVA table with interaction", an["table"]),
                         ("ANOVA table without interaction (interaction pooled, p > "
                          f"{an['alpha_interaction']})", an["table_pooled"])):
        if table is None:
            continue
        rows = [["Source", "DF", "SS", "MS", "F", "P"]]
        for key, row in table.items():
            rows.append([key.capitalize(), row["df"], fmt(row["ss"], 6), fmt(row["ms"], 6), fmt(row["f"]),
                         fmt(row["p"], 3)])
        story += [Paragraph(escape(title), st["small"]), _table(rows), Spacer(1, 0.15 * cm)]
    rows = [["Source", "Variance", "% Contribution", "Std. dev.", "Study var (6 SD)", "% Study var"]
            + (["% Tolerance"] if tol else [])]
    for key, label in (("grr", "Total gauge R&R"), ("repeatability", "  Repeatability"),
                       ("reproducibility", "  Reproducibility"), ("appraiser", "    Appraiser"),
                       ("interaction", "    Appraiser x part"), ("part", "Part-to-part"), ("total", "Total variation")):
        c = an["components"][key]
        rows.append([label, fmt(c["variance"]), fmt(c["percent_contribution"]), fmt(c["sd"]), fmt(c["study_var"]),
                     fmt(c["percent_study_var"])] + ([fmt(c["percent_tolerance"])] if tol else []))
    story += [_table(rows), Paragraph(escape(
        f"Interaction pooled: {'yes' if an['interaction_pooled'] else 'no'}; ndc = {fmt(an['ndc'])}; "
        f"%GRR (study variation) {fmt(an['percent_study_var_grr'], 3)} %: {an['acceptance']}. "
        "AIAG: under 10 % acceptable, 10-30 % conditional, over 30 % not acceptable; ndc should be 5 or more."),
        st["small"])]
    story += [PageBreak(), Paragraph("Charts", st["h2"]),
              _image(charts.range_chart_png(study["charts"]), 17, 6),
              _image(charts.mean_chart_png(study["charts"]), 17, 6),
              Table([[_image(charts.interaction_png(study["charts"]), 8.5, 6.5),
                      _image(charts.components_png(an, ar), 8.5, 6.5)]])]
    return story


def _type1(study: dict, st) -> list:
    r = study["type1"]
    rows = [["Figure", "Value"], ["Reference", fmt(r["reference"], 6)], ["Tolerance", fmt(r["tolerance"])],
            ["Readings", r["n"]], ["Mean", fmt(r["mean"], 6)], ["Std. dev. s", fmt(r["sd"])],
            ["Bias", fmt(r["bias"])], ["t (bias = 0)", fmt(r["t"])], ["p", fmt(r["p"], 3)],
            ["Cg = 0.2 T / 6 s", fmt(r["cg"])], ["Cgk = (0.1 T - |bias|) / 3 s", fmt(r["cgk"])],
            ["%Var (repeatability)", fmt(r["percent_var_repeatability"])]]
    return [Paragraph("Type-1 study (VDA 5 / Bosch booklet 10)", st["h2"]), _table(rows, [7 * cm, 5 * cm]),
            Paragraph(escape(f"Cg and Cgk must reach {r['limit']}: "
                             f"{'capable' if r['capable'] else 'not capable'}."), st["small"]),
            _image(charts.run_chart_png(r), 17, 7)]


def _linearity(study: dict, st) -> list:
    r = study["linearity"]
    rows = [["Term", "Coefficient", "SE", "t", "p"]]
    for key, label in (("intercept", "Constant"), ("slope", "Slope")):
        rows.append([label, fmt(r[key]["coef"], 5), fmt(r[key]["se"]), fmt(r[key]["t"]), fmt(r[key]["p"], 3)])
    per = [["Reference", "n", "Bias", "t", "p"]] + [
        [fmt(p["reference"], 6), p["n"], fmt(p["bias"]), fmt(p["t"]), fmt(p["p"], 3)] for p in r["per_reference"]]
    return [Paragraph("Bias and linearity (AIAG MSA 4th ed.)", st["h2"]), _table(rows),
            Paragraph(escape(f"s = {fmt(r['s'])}, R² = {fmt(100 * r['r_squared'], 3)} %, average bias "
                             f"{fmt(r['average_bias'])}, %linearity {fmt(r['percent_linearity'], 3)} %"
                             + (f", linearity {fmt(r['linearity'])}" if r.get("linearity") else "")), st["small"]),
            Spacer(1, 0.2 * cm), _table(per), _image(charts.linearity_png(r), 17, 8)]


def render_study_report(study: dict, gauge: dict | None, context: ReportContext) -> bytes:
    """The study as PDF bytes."""
    st = styles()
    t = Translator(context.language)
    buffer = io.BytesIO()
    title = KIND_TITLES[study["kind"]]
    doc = report_document(buffer, A4, f"{title}: {study['name']}", "Measurement system analysis",
                          context.generated_by)
    verdict = study.get("acceptance") or "–"
    story = [Paragraph(escape(f"{title}: {study['name']}"), st["h1"]), _identification(study, gauge),
             Spacer(1, 0.2 * cm),
             _table([["Verdict"], [verdict]], [WIDTH], verdict_cell=((0, 1), verdict))]
    kind = study["kind"]
    story += _grr(study, st) if kind == "grr_crossed" else _type1(study, st) if kind == "type1" else \
        _linearity(study, st)
    story.append(KeepTogether([Spacer(1, 0.5 * cm), _table(
        [["Prepared by", "Reviewed by", "Approved by"], [context.generated_by, "", ""], ["Date / signature", "", ""]],
        [WIDTH / 3] * 3)]))
    doc.build(story, canvasmaker=numbered_canvas(page_decorator(context, title, study["name"], t)))
    return buffer.getvalue()
