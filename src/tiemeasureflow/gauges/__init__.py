"""The gauge register: gauges, calibrations, characteristic gauge rules and the calibration lockout."""
