"""The domain's words: one enum per closed set of values stored or sent (stdlib only: the station client uses it)."""

from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    """Where a run stands: measuring, or its verdict once finished."""

    IN_PROGRESS = "in_progress"
    PASS = "pass"
    WARNING = "warning"
    FAIL = "fail"
    ABORTED = "aborted"


class Judgment(StrEnum):
    """A value's verdict against its characteristic's limits, worst last."""

    PASS = "pass"
    WARNING = "warning"
    FAIL = "fail"


class Role(StrEnum):
    """What a user may do besides being an admin."""

    MAKER = "Maker"
    MEASUREMENT_TEC = "MeasurementTec"
    METROLOGIST = "Metrologist"


class InputMethod(StrEnum):
    """How a value reached the server."""

    USB_CALIPER = "usb_caliper"
    MANUAL = "manual"
    KEYBOARD = "keyboard"
    IMPORT = "import"
    HARDPY = "hardpy"
    QIF = "qif"
    DFQ = "dfq"


class KeyKind(StrEnum):
    """What an API key was issued for."""

    SESSION = "session"
    INTEGRATION = "integration"
    STAND = "stand"


class RunSource(StrEnum):
    """Where a run came from, as the public API names it."""

    STATION = "station"
    HARDPY = "hardpy"
    QIF = "qif"
    DFQ = "dfq"


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """The stored values of a vocabulary in declaration order (for `Literal[...]`, CHECK constraints, loops)."""
    return tuple(member.value for member in vocabulary)


RUN_STATUSES = values(RunStatus)
JUDGMENTS = values(Judgment)
ROLES = values(Role)
INPUT_METHODS = values(InputMethod)
KEY_KINDS = values(KeyKind)
RUN_SOURCES = values(RunSource)
# Methods a person types or reads in at a station (the rest arrive through imports and stands).
STATION_INPUT_METHODS = (InputMethod.USB_CALIPER.value, InputMethod.KEYBOARD.value, InputMethod.MANUAL.value)
