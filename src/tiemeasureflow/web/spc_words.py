"""The statistics API's wording in the page language, found by the stable codes the API answers with."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask_babel import gettext as _

from .i18n import decimal_symbol


def rules_wording() -> dict[str, dict[int, str]]:
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
    template = rules_wording().get(rule_set, {}).get(int(rule)) if str(rule).isdigit() else None
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


def _fixed_reasons() -> dict[str, str]:
    # Why the statistics API left a figure out, word for word as it answers in English.
    return {
        "needs both specification limits": _("needs both specification limits"),
        "no specification limits": _("no specification limits"),
        "no upper specification limit": _("no upper specification limit"),
        "no lower specification limit": _("no lower specification limit"),
        "no target (nominal) given": _("no target (nominal) given"),
        "zero spread: all values are equal": _("zero spread: all values are equal"),
        "zero spread within subgroups: sigma within is 0": _("zero spread within subgroups: sigma within is 0"),
        "the fitted distribution has no finite spread": _("the fitted distribution has no finite spread"),
        "the fit did not converge": _("the fit did not converge"),
        "fewer than 2 values: no normal curve": _("fewer than 2 values: no normal curve"),
        "zero spread: no normal curve": _("zero spread: no normal curve"),
        "fewer than 2 values: no moving range": _("fewer than 2 values: no moving range"),
        "the run rules need a centre line and a sigma greater than 0":
            _("the run rules need a centre line and a sigma greater than 0"),
        "no values selected": _("no values selected"),
    }


# Reasons that carry figures: the pattern of the API's English and the page-language wording.
_WORDED_REASONS = (
    (re.compile(r"needs at least (?P<n>\d+) values, got (?P<got>\d+)"),
     lambda m: _("needs at least %(n)s values, got %(got)s", n=m["n"], got=m["got"])),
    (re.compile(r"subgroup size (?P<size>\d+) is larger than the (?P<n>\d+) values selected"),
     lambda m: _("subgroup size %(size)s is larger than the %(n)s values selected", size=m["size"], n=m["n"])),
    (re.compile(r"the fit did not converge: (?P<detail>.+)"),
     lambda m: _("the fit did not converge") + ": " + m["detail"]),
    (re.compile(r"normal kept: (?P<why>.+)"),
     lambda m: _("normal kept: %(why)s", why=reason_text(m["why"]))),
)


def reason_text(text: str | None) -> str:
    """Why the API left a figure out, in the page language; a reason this client does not know as the API said it."""
    if not text:
        return ""
    fixed = _fixed_reasons().get(text)
    if fixed is not None:
        return fixed
    for pattern, words in _WORDED_REASONS:
        match = pattern.fullmatch(text)
        if match:
            return words(match)
    return text


def init_app(app: Flask) -> None:
    """Offer the translations to the templates."""
    app.jinja_env.globals.update(rule_text=rule_text, estimator_text=estimator_text, choice_text=choice_text)
    app.jinja_env.filters["reason"] = reason_text
