"""The statistics API's wording in the page language, found by the stable codes the API answers with."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import gettext as _

from .i18n import decimal_symbol


def _rules() -> dict[str, dict[int, str]]:
    # Minitab's tests, as the API words them in English; %(k)s and %(k1)s are the rule's K and K + 1.
    beyond = _("1 point more than %(k)s sigma from the centre line (beyond a control limit)")
    two = _("%(k)s out of %(k1)s points in a row more than 2 sigma from the centre line (same side)")
    one = _("%(k)s out of %(k1)s points in a row more than 1 sigma from the centre line (same side)")
    side = _("%(k)s points in a row on the same side of the centre line")
    return {
        "we": {1: beyond, 2: two, 3: one, 4: side},
        "nelson": {1: beyond, 2: side, 3: _("%(k)s points in a row, all increasing or all decreasing"),
                   4: _("%(k)s points in a row, alternating up and down"), 5: two, 6: one,
                   7: _("%(k)s points in a row within 1 sigma of the centre line (either side)"),
                   8: _("%(k)s points in a row more than 1 sigma from the centre line (either side)")},
    }


def _k(value: float) -> str:
    return format(value, "g").replace(".", decimal_symbol())


def rule_text(rule_set: str, rule: Any, k: Any, fallback: str = "") -> str:
    """A run rule's wording with its K; the API's own text for a rule this client does not know."""
    template = _rules().get(rule_set, {}).get(int(rule)) if str(rule).isdigit() else None
    if template is None or not isinstance(k, int | float):
        return fallback
    return template % {"k": _k(k), "k1": _k(k + 1)}


def estimator_text(code: str | None, fallback: str = "", grouped: bool = False) -> str:
    """Which sigma-within estimator: the consecutive subgroups' or, with `grouped`, the unequal subgroups'."""
    if grouped:
        words = {"r_bar": _("UWAVE-R: weighted R_i/d2(n_i)"),
                 "s_bar": _("S-bar/c4(n), s-bar pooled over n_i - 1"),
                 "pooled": _("pooled standard deviation s_p/c4(d+1)")}
    else:
        words = {"mr_bar": _("MR-bar/d2(2), average moving range"), "r_bar": _("R-bar/d2(n), average range"),
                 "s_bar": _("S-bar/c4(n), average standard deviation"),
                 "pooled": _("pooled standard deviation s_p/c4(d+1)")}
    return words.get(code or "", fallback)


def choice_text(code: str | None, name: str, fallback: str = "") -> str:
    """Why the automatic choice took this distribution (`name` already in the page language)."""
    words = {
        "normal_not_rejected": _("Anderson-Darling does not reject normality"),
        "normal_kept": _("normal kept: normality could not be tested"),
        "no_other_fit": _("normality rejected, but no other distribution could be fitted"),
        "best_fit": _("normality rejected; %(name)s has the smallest Anderson-Darling statistic", name=name),
    }
    return words.get(code or "", fallback)


def init_app(app: Flask) -> None:
    """Offer the translations to the templates."""
    app.jinja_env.globals.update(rule_text=rule_text, estimator_text=estimator_text, choice_text=choice_text)
