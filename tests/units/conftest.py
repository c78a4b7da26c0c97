"""Unit history tests use the public API's keys, station runs and HardPy reports."""

from tests.public_api.conftest import integration_key, reader, stand_key, station_runs, uploader  # noqa: F401
