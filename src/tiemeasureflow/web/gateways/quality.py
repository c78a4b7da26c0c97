"""Gauges, measurement system analyses, first article inspections and device histories."""

from __future__ import annotations

from typing import Any, TypedDict

import httpx

from .routes import JsonObject, route

GAUGES = route("GET", "/api/gauges")
GAUGE = route("GET", "/api/gauges/{code}")
STUDIES = route("GET", "/api/msa/studies")
CREATE_STUDY = route("POST", "/api/msa/studies")
STUDY = route("GET", "/api/msa/studies/{study_id}")
READING = route("POST", "/api/msa/studies/{study_id}/readings")
STUDY_CHART = route("GET", "/api/msa/studies/{study_id}/charts/{name}")
STUDY_REPORT = route("GET", "/api/msa/studies/{study_id}/report")
FAIS = route("GET", "/api/fai")
OPEN_FAI = route("POST", "/api/fai")
FAI = route("GET", "/api/fai/{fai_id}")
FORM2 = route("POST", "/api/fai/{fai_id}/form2")
DELETE_FORM2 = route("DELETE", "/api/fai/{fai_id}/form2/{row_id}")
NOTE = route("PUT", "/api/fai/{fai_id}/characteristics/{characteristic_id}")
COMPLETE = route("POST", "/api/fai/{fai_id}/complete")
FAI_REPORTS = {"pdf": route("GET", "/api/fai/{fai_id}/report.pdf"), "xlsx": route("GET", "/api/fai/{fai_id}/report.xlsx")}
UNITS = route("GET", "/api/units")
UNIT = route("GET", "/api/units/{part_number}/{serial_number}")


class Gauge(TypedDict):
    """A gauge with its state today."""

    code: str
    usable: bool
    warning: str | None


def gauges(status: str | None = None) -> list[Gauge]:
    """The gauge register (or the gauges in one status)."""
    return GAUGES.call(params={"status": status} if status else None)


def gauge(code: str) -> Gauge:
    """One gauge by code."""
    return GAUGE.call(code=code)


def studies(per_page: int) -> JsonObject:
    """The newest MSA studies."""
    return STUDIES.call(params={"per_page": per_page})


def create_study(plan: dict[str, Any]) -> JsonObject:
    """Set an MSA study up."""
    return CREATE_STUDY.call(json=plan)


def study(study_id: int) -> JsonObject:
    """An MSA study with its slots and, once finished, its results."""
    return STUDY.call(study_id=study_id)


def add_reading(study_id: int, slot: int, value: float) -> None:
    """Store the value of one slot."""
    READING.call(study_id=study_id, json={"slot": slot, "value": value})


def study_chart(study_id: int, name: str) -> httpx.Response:
    """A chart of the study (PNG)."""
    return STUDY_CHART.raw(study_id=study_id, name=name)


def study_report(study_id: int) -> httpx.Response:
    """The study's PDF report."""
    return STUDY_REPORT.raw(study_id=study_id)


def fais(per_page: int, status: str | None = None) -> JsonObject:
    """The newest FAIs (in one status)."""
    return FAIS.call(params={"per_page": per_page, "status": status})


def open_fai(body: dict[str, Any]) -> JsonObject:
    """Open an FAI for a recipe version and a serial."""
    return OPEN_FAI.call(json=body)


def fai(fai_id: int) -> JsonObject:
    """An FAI with its forms."""
    return FAI.call(fai_id=fai_id)


def add_form2(fai_id: int, row: dict[str, Any]) -> None:
    """Add a row of form 2 (materials, processes)."""
    FORM2.call(fai_id=fai_id, json=row)


def delete_form2(fai_id: int, row_id: int) -> None:
    """Remove a row of form 2."""
    DELETE_FORM2.call(fai_id=fai_id, row_id=row_id)


def note(fai_id: int, characteristic_id: int, nc_number: str | None, comment: str | None) -> None:
    """Store a characteristic's nonconformance number and comment."""
    NOTE.call(fai_id=fai_id, characteristic_id=characteristic_id, json={"nc_number": nc_number, "comment": comment})


def complete(fai_id: int, password: str, meaning: str) -> None:
    """Complete and sign the FAI."""
    COMPLETE.call(fai_id=fai_id, json={"password": password, "meaning": meaning})


def fai_report(fai_id: int, kind: str) -> httpx.Response:
    """The AS9102 forms as PDF or XLSX."""
    return FAI_REPORTS[kind].raw(fai_id=fai_id)


def units(serial_number: str) -> list[JsonObject]:
    """The devices carrying a serial."""
    return UNITS.call(params={"serial_number": serial_number})


def unit(part_number: str, serial_number: str) -> JsonObject:
    """Every run of one device."""
    return UNIT.call(part_number=part_number, serial_number=serial_number)
