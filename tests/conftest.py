"""Shared fixtures: see tests/fixtures/."""

pytest_plugins = [
    "tests.fixtures.database",
    "tests.fixtures.app",
    "tests.fixtures.factories",
    "tests.fixtures.roles",
    "tests.fixtures.plans",
]
