"""The SPC report's intervals (with their one-sided lower bounds) and its non-normal capability."""

from __future__ import annotations

import re

import numpy as np
from scipy import stats

from tests.reports.conftest import read_pdf
from tests.reports.test_spc_report import QCC, QCC_GROUPED, _characteristic, _statistics, chart_pages

RUNOUT = {"marker_number": 1, "description": "Runout", "measurement_type": "runout", "utl": 0.05, "unit": "mm"}
N = 120
RUNOUT_VALUES = [round(v, 4) for v in 0.002 + stats.weibull_min(1.5, 0, 0.01).ppf((np.arange(1, N + 1) - 0.5) / N)]


def test_report_lists_every_interval_with_its_one_sided_lower_bound(shop):
    ids = _characteristic(shop, QCC, QCC_GROUPED)
    pdf = read_pdf(shop.report("spc", **ids, chart="xbar_r", subgroup_size=4))
    first = pdf.pages[0]
    cap = _statistics(shop, "capability", **ids, subgroup_size=4)
    for name in ("Cp", "Cpu", "Cpl", "Cpk", "Pp", "Ppu", "Ppl", "Ppk", "Cpm"):
        ci = cap[f"{name.lower()}_ci"]
        assert re.search(rf"{name}\s+{cap[name.lower()]:.3f}\s+{ci['lower']:.3f} … {ci['upper']:.3f}\s+"
                         rf"≥ {ci['lower_one_sided']:.3f}", first), name
    assert "1-sided 95%" in first and "Only 12 values" in first and "P indices by normal theory." in first


def test_report_of_a_skewed_characteristic_uses_the_chosen_distribution(shop):
    ids = _characteristic(shop, RUNOUT, RUNOUT_VALUES, code="RUNOUT-01")
    pdf = read_pdf(shop.report("spc", **ids, distribution="weibull3"))
    assert chart_pages(pdf) == 2
    first = pdf.pages[0]
    cap = _statistics(shop, "capability", **ids, distribution="weibull3")
    assert re.search(rf"Ppk\s+{cap['ppk']:.3f}", first)
    assert "percentile method (ISO 22514-2) on the Weibull (3-parameter) distribution" in first


def test_italian_report_names_the_method(shop):
    ids = _characteristic(shop, RUNOUT, RUNOUT_VALUES, code="RUNOUT-02")
    shop.set_language("it")
    first = read_pdf(shop.report("spc", **ids, distribution="lognormal")).pages[0]
    assert "metodo dei percentili (ISO 22514-2) sulla distribuzione lognormale" in first
    assert "Unilat. 95%" in first
