"""Crossed gauge R&R: the AIAG average-and-range method and the two-way ANOVA method."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import stats

from .constants import (
    A2,
    D3,
    D4,
    INTERACTION_ALPHA,
    MAX_APPRAISERS,
    MAX_PARTS,
    MAX_TRIALS,
    NDC_FACTOR,
    STUDY_VAR_MULTIPLIER,
    acceptance,
    k1,
    k2,
    k3,
)


class GrrInputError(ValueError):
    """The readings do not form a balanced crossed study."""


def _ordered(labels: Iterable) -> list:
    # First-seen order, so parts and appraisers come back as the study entered them.
    return list(dict.fromkeys(labels))


def arrange(values: Sequence[tuple]) -> tuple[np.ndarray, list, list]:
    """Readings (part, appraiser, trial, value) as an array [appraiser, part, trial]; balanced or an error."""
    parts = _ordered(v[0] for v in values)
    appraisers = _ordered(v[1] for v in values)
    cells: dict[tuple, dict] = {}
    for part, appraiser, trial, value in values:
        cell = cells.setdefault((appraiser, part), {})
        if trial in cell:
            raise GrrInputError(f"part {part}, appraiser {appraiser}: trial {trial} given twice")
        cell[trial] = float(value)
    trials = {len(cell) for cell in cells.values()}
    if len(cells) != len(parts) * len(appraisers) or len(trials) != 1:
        raise GrrInputError("every appraiser must measure every part the same number of times")
    r = trials.pop()
    if not 2 <= len(parts) <= MAX_PARTS or not 2 <= r <= MAX_TRIALS or len(appraisers) > MAX_APPRAISERS:
        raise GrrInputError(f"a study needs 2-{MAX_PARTS} parts, 1-{MAX_APPRAISERS} appraisers and "
                            f"2-{MAX_TRIALS} trials")
    data = np.array([[[cells[(a, p)][t] for t in sorted(cells[(a, p)])] for p in parts] for a in appraisers])
    return data, parts, appraisers


def _percentages(parts: dict[str, float], total: float, tolerance: float | None) -> dict:
    out = {f"percent_{k}": (100.0 * v / total if total > 0 else None) for k, v in parts.items()}
    if tolerance:
        out.update({f"percent_tolerance_{k}": 100.0 * STUDY_VAR_MULTIPLIER * v / tolerance for k, v in parts.items()})
    return out


def average_range(data: np.ndarray, tolerance: float | None = None) -> dict:
    """AIAG average-and-range method on data [appraiser, part, trial]."""
    n_app, n_parts, r = data.shape
    ranges = data.max(axis=2) - data.min(axis=2)
    r_bar = float(ranges.mean())
    app_means = data.mean(axis=(1, 2))
    x_diff = float(app_means.max() - app_means.min())
    part_means = data.mean(axis=(0, 2))
    r_p = float(part_means.max() - part_means.min())
    c1, c2, c3 = k1(r), k2(n_app), k3(n_parts)
    ev = r_bar * c1
    av = math.sqrt(max((x_diff * c2) ** 2 - ev ** 2 / (n_parts * r), 0.0))
    grr = math.hypot(ev, av)
    pv = r_p * c3
    tv = math.hypot(grr, pv)
    sds = {"ev": ev, "av": av, "grr": grr, "pv": pv}
    out = {**sds, "tv": tv, **_percentages(sds, tv, tolerance),
           "ndc": int(NDC_FACTOR * pv / grr) if grr > 0 else None,
           "k1": c1, "k2": c2, "k3": c3, "r_bar": r_bar, "x_diff": x_diff, "r_p": r_p}
    out["acceptance"] = acceptance(out["percent_grr"]) if out["percent_grr"] is not None else None
    return out


def _row(ss: float, df: int, denominator: tuple[float, int] | None) -> dict:
    ms = ss / df
    row = {"ss": ss, "df": df, "ms": ms, "f": None, "p": None}
    if denominator is not None and denominator[0] > 0:
        row["f"] = ms / denominator[0]
        row["p"] = float(stats.f.sf(row["f"], df, denominator[1]))
    return row


def anova(data: np.ndarray, tolerance: float | None = None, alpha: float = INTERACTION_ALPHA) -> dict:
    """Two-way crossed ANOVA with interaction; the interaction is pooled when its p-value exceeds alpha."""
    n_app, n_parts, r = data.shape
    grand = data.mean()
    ss_total = float(((data - grand) ** 2).sum())
    ss_app = float(n_parts * r * ((data.mean(axis=(1, 2)) - grand) ** 2).sum())
    ss_part = float(n_app * r * ((data.mean(axis=(0, 2)) - grand) ** 2).sum())
    cell = data.mean(axis=2)
    ss_err = float(((data - cell[:, :, None]) ** 2).sum())
    ss_int = max(ss_total - ss_app - ss_part - ss_err, 0.0)
    df_app, df_part, df_err = n_app - 1, n_parts - 1, n_app * n_parts * (r - 1)
    df_int = df_app * df_part
    single = n_app < 2
    if single:  # one appraiser: parts and repeatability only
        err = _row(ss_err, df_err, None)
        table = {"part": _row(ss_part, df_part, (err["ms"], df_err)), "repeatability": err}
        pooled, full = True, None
    else:
        err = _row(ss_err, df_err, None)
        inter = _row(ss_int, df_int, (err["ms"], df_err))
        denominator = (inter["ms"], df_int)
        full = {"part": _row(ss_part, df_part, denominator), "appraiser": _row(ss_app, df_app, denominator),
                "interaction": inter, "repeatability": err}
        pooled = inter["p"] is None or inter["p"] > alpha
        table = full
    reduced = None
    if pooled and not single:
        res = _row(ss_int + ss_err, df_int + df_err, None)
        reduced = {"part": _row(ss_part, df_part, (res["ms"], res["df"])),
                   "appraiser": _row(ss_app, df_app, (res["ms"], res["df"])), "repeatability": res}
    for t in (table, reduced):
        if t is not None:
            t["total"] = {"ss": ss_total, "df": n_app * n_parts * r - 1, "ms": None, "f": None, "p": None}
    used = reduced if reduced is not None else table
    repeat = used["repeatability"]["ms"]
    interaction = 0.0 if pooled else max((full["interaction"]["ms"] - repeat) / r, 0.0)
    below = repeat if pooled else full["interaction"]["ms"]
    operator = 0.0 if single else max((used["appraiser"]["ms"] - below) / (n_parts * r), 0.0)
    part = max((used["part"]["ms"] - below) / (n_app * r), 0.0)
    variances = {"repeatability": repeat, "appraiser": operator, "interaction": interaction,
                 "reproducibility": operator + interaction}
    variances["grr"] = repeat + variances["reproducibility"]
    variances["part"] = part
    variances["total"] = variances["grr"] + part
    total = variances["total"]
    sds = {k: math.sqrt(v) for k, v in variances.items()}
    components = {
        k: {"variance": variances[k], "percent_contribution": 100.0 * variances[k] / total if total > 0 else None,
            "sd": sds[k], "study_var": STUDY_VAR_MULTIPLIER * sds[k],
            "percent_study_var": 100.0 * sds[k] / sds["total"] if total > 0 else None,
            "percent_tolerance": (100.0 * STUDY_VAR_MULTIPLIER * sds[k] / tolerance) if tolerance else None}
        for k in variances}
    grr = components["grr"]
    return {"table": table, "table_pooled": reduced, "interaction_pooled": bool(pooled and not single),
            "alpha_interaction": alpha, "components": components,
            "percent_contribution_grr": grr["percent_contribution"], "percent_study_var_grr": grr["percent_study_var"],
            "percent_tolerance_grr": grr["percent_tolerance"],
            "ndc": int(NDC_FACTOR * sds["part"] / sds["grr"]) if sds["grr"] > 0 else None,
            "acceptance": acceptance(grr["percent_study_var"]) if grr["percent_study_var"] is not None else None}


def charts(data: np.ndarray, parts: list, appraisers: list) -> dict:
    """The data behind the range and X-bar charts by appraiser and the interaction plot."""
    n_app, n_parts, r = data.shape
    ranges = data.max(axis=2) - data.min(axis=2)
    means = data.mean(axis=2)
    r_bar, grand = float(ranges.mean()), float(data.mean())
    return {
        "parts": [str(p) for p in parts], "appraisers": [str(a) for a in appraisers],
        "ranges": ranges.tolist(), "means": means.tolist(),
        "range_limits": {"center": r_bar, "ucl": D4[r] * r_bar, "lcl": D3[r] * r_bar},
        "mean_limits": {"center": grand, "ucl": grand + A2[r] * r_bar, "lcl": grand - A2[r] * r_bar},
        "part_means": data.mean(axis=(0, 2)).tolist(), "appraiser_means": data.mean(axis=(1, 2)).tolist(),
    }


def grr_crossed(values: Sequence[tuple], tolerance: float | None = None) -> dict:
    """Both methods and the chart data for readings (part, appraiser, trial, value)."""
    data, parts, appraisers = arrange(values)
    return {"parts": len(parts), "appraisers": len(appraisers), "trials": int(data.shape[2]),
            "average_range": average_range(data, tolerance), "anova": anova(data, tolerance),
            "charts": charts(data, parts, appraisers)}
