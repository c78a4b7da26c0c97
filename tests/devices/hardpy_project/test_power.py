"""A board's power checks: two numeric measurements and a firmware string, as a real stand records them."""

import os

import hardpy
import pytest

pytestmark = pytest.mark.module_name("Power")


@pytest.mark.case_name("Output voltage")
def test_output_voltage():
    # What the stand's meter reads; the environment stands in for the instrument.
    vout = hardpy.NumericMeasurement(value=float(os.environ.get("E2E_VOUT", "5.02")), name="Vout", unit="V", operation=hardpy.ComparisonOperation.GELE,
                                     lower_limit=4.9, upper_limit=5.1)
    hardpy.set_case_measurement(vout)
    assert vout.result


@pytest.mark.case_name("Quiescent current")
def test_quiescent_current():
    iq = hardpy.NumericMeasurement(value=7.5, name="Iq", unit="mA", operation=hardpy.ComparisonOperation.LE,
                                   comparison_value=10)
    hardpy.set_case_measurement(iq)
    fw = hardpy.StringMeasurement(value="2.0.1", name="fw", operation=hardpy.ComparisonOperation.EQ,
                                  comparison_value="2.0.1")
    hardpy.set_case_measurement(fw)
    assert iq.result and fw.result
