"""Settings payloads and responses, with the update payload's rules spelled out for OpenAPI."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import available_timezones

from pydantic import BaseModel, WithJsonSchema

DELIMITERS = (",", ";", "\t", "|")
DECIMAL_SEPARATORS = (".", ",")
KEY_PATTERN = r"^[A-Za-z0-9_]{1,64}$"
MAX_VALUE_LENGTH = 2000
# Custom settings are few labels for reports and screens; the cap keeps the table (read on every
# settings call) small.
MAX_CUSTOM_KEYS = 50
READ_ONLY_KEYS = ("company_logo_path",)

# The rules service.validate_changes applies, as JSON Schema, so clients and fuzzers know them.
# A ',' on either CSV setting must come with a compatible value for the other in the same request,
# which keeps the stored pair valid whatever it was before.
SETTINGS_UPDATE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": MAX_CUSTOM_KEYS + 3,
    "description": "Known keys are validated; any other key (letters, digits and _, up to 64) "
                   f"is a custom setting stored as a string; at most {MAX_CUSTOM_KEYS} custom settings in all.",
    "properties": {
        "csv_delimiter": {"type": "string", "enum": list(DELIMITERS)},
        "csv_decimal_separator": {"type": "string", "enum": list(DECIMAL_SEPARATORS)},
        "station_hold_on_warning": {"type": "string", "enum": ["true", "false"]},
        "correction_reasons": {"type": "string", "maxLength": MAX_VALUE_LENGTH, "pattern": "^[^\\x00]*$",
                               "description": "Reasons the station offers when a value is replaced, one per line"},
        "plant_timezone": {"type": "string", "description": "IANA time zone the shifts are read in",
                           "enum": sorted(available_timezones()), "example": "Europe/Berlin"},
    },
    "propertyNames": {"pattern": KEY_PATTERN, "not": {"enum": list(READ_ONLY_KEYS)}},
    "additionalProperties": {"type": "string", "maxLength": MAX_VALUE_LENGTH, "pattern": "^[^\\x00]*$"},
    "allOf": [
        {"if": {"properties": {"csv_delimiter": {"const": ","}}, "required": ["csv_delimiter"]},
         "then": {"properties": {"csv_decimal_separator": {"const": "."}}, "required": ["csv_decimal_separator"]}},
        {"if": {"properties": {"csv_decimal_separator": {"const": ","}}, "required": ["csv_decimal_separator"]},
         "then": {"properties": {"csv_delimiter": {"enum": [";", "\t", "|"]}}, "required": ["csv_delimiter"]}},
    ],
    "example": {"csv_delimiter": ";", "csv_decimal_separator": ",", "custom_setting": "value"},
}

SettingsChanges = Annotated[dict[str, Any], WithJsonSchema(SETTINGS_UPDATE_SCHEMA)]


class SettingsUpdated(BaseModel):
    """Which keys were written."""

    message: str
    updated_keys: list[str]


class LogoUploaded(BaseModel):
    """Where the logo went."""

    message: str
    logo_path: str
    file_size: int
