"""The stand's fixtures: the device under test and the stand itself, as a HardPy project sets them."""

import os

import hardpy
import pytest


@pytest.fixture(scope="session", autouse=True)
def dut_and_stand():
    """The board under test and the stand, set once per run; the serial comes from the environment."""
    hardpy.set_dut_serial_number(os.environ.get("E2E_SERIAL", "E2E-0001"))
    hardpy.set_dut_part_number("PCB-E2E")
    hardpy.set_dut_info({"firmware_version": "2.0.1"})
    hardpy.set_stand_name("E2E stand")
    hardpy.set_stand_location("Line C")
