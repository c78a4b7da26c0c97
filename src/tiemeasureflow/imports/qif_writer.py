"""Writing a recipe version's plan, or a run's values with it, as a QIF 3.0 document.

Limits are written as limits (`DefinedAsLimit` true), so a re-import gives back the same doubles;
form tolerances (flatness, straightness, roundness, cylindricity) with a zero nominal and only an
upper limit are written as their zone width. The schema's orientation, location, runout, profile,
distance, chamfer and surface texture kinds require datums, material conditions or zone shapes that
a characteristic here does not hold, so those are written as length (or angle) characteristics with
the same limits, their measurement type kept in the item's `Attributes`. Warning limits have no place
in QIF and stay behind. Element order, required elements and counts follow the QIF 3.0 schema.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element, SubElement, tostring

from ..recipes.catalog import MICROMETRE
from .qif_kinds import KIND_TYPES, QIF_LINEAR_UNITS, TYPE_KINDS
from .qif_reader import QIF_NAMESPACE, TYPE_ATTRIBUTE

QPID_NAMESPACE = uuid.UUID("6f1c2d3e-4b5a-4978-8695-a4b3c2d1e0f9")
TO_MM = {"mm": 1.0, MICROMETRE: 0.001, "in": 25.4}
STATUS = {"pass": "PASS", "warning": "PASS", "fail": "FAIL"}
# Kinds whose schema definitions need nothing beyond a tolerance (or a zone width) and a target value.
PLAIN_KINDS = {"Diameter", "Length", "Width", "Height", "Depth", "Thickness", "Radius", "Angle"}
FORM_KINDS = {"Flatness", "Straightness", "Circularity", "Cylindricity"}



@dataclass(frozen=True)
class PlanItem:
    """One characteristic of a version as the writer needs it."""

    subtask_id: int
    label: str
    measurement_type: str
    unit: str
    nominal: float | None
    ltl: float | None
    utl: float | None


@dataclass(frozen=True)
class Value:
    """A run's current value of one characteristic."""

    subtask_id: int
    value: float
    judgment: str


class _Ids:
    def __init__(self) -> None:
        self.last = 0

    def next(self) -> str:
        self.last += 1
        return str(self.last)


def _text(parent: Element, tag: str, text: object) -> Element:
    element = SubElement(parent, tag)
    element.text = repr(text) if isinstance(text, float) else str(text)
    return element


def _counted(parent: Element, tag: str, count: int) -> Element:
    return SubElement(parent, tag, {"n": str(count)})


def qpid(kind: str, key: object) -> str:
    """A stable QPId for what is exported: re-exporting the same thing gives the same document identity."""
    return str(uuid.uuid5(QPID_NAMESPACE, f"{kind}:{key}"))


def document(identity: str, created: datetime, part_number: str, part_name: str, items: list[PlanItem],
             run: dict | None = None, values: list[Value] | None = None) -> bytes:
    """The QIF document: plan characteristics, and with `run`/`values` its measured results."""
    linear = next((i.unit for i in items if i.unit in TO_MM), "mm")
    root = Element("QIFDocument", {"xmlns": QIF_NAMESPACE, "versionQIF": "3.0.0", "idMax": "0"})
    ids = _Ids()
    _text(root, "QPId", identity)
    _text(SubElement(root, "Version"), "TimeCreated", created.isoformat().replace("+00:00", "Z"))
    primary = SubElement(SubElement(root, "FileUnits"), "PrimaryUnits")
    angular = SubElement(primary, "AngularUnit")
    _text(angular, "SIUnitName", "radian")
    _text(angular, "UnitName", "degree")
    _text(SubElement(angular, "UnitConversion"), "Factor", 0.017453292519943295)
    si_name, unit_name, factor = QIF_LINEAR_UNITS[linear]
    unit = SubElement(primary, "LinearUnit")
    _text(unit, "SIUnitName", "meter")
    _text(unit, "UnitName", unit_name)
    _text(SubElement(unit, "UnitConversion"), "Factor", factor)
    part = SubElement(_counted(SubElement(root, "Product"), "PartSet", 1), "Part", {"id": ids.next()})
    _text(part, "Name", part_name)
    _text(part, "ModelNumber", part_number)
    scale = {i.subtask_id: (TO_MM[i.unit] / TO_MM[linear] if i.unit in TO_MM else 1.0) for i in items}
    item_ids = _characteristics(root, ids, items, scale)
    if run is not None:
        _results(root, ids, items, item_ids, scale, run, values or [])
    root.set("idMax", str(ids.last))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8")


def _kind(item: PlanItem) -> tuple[str, bool]:
    """The QIF kind written for the item, and whether it is written as a zone width."""
    kind = TYPE_KINDS.get(item.measurement_type, "Length")
    if kind in FORM_KINDS and item.nominal in (None, 0.0) and item.ltl is None and item.utl is not None:
        return kind, True
    if kind in PLAIN_KINDS:
        return kind, False
    return ("Angle" if item.unit == "°" else "Length"), False


def _characteristics(root: Element, ids: _Ids, items: list[PlanItem], scale: dict) -> dict[int, tuple[str, str]]:
    section = SubElement(root, "Characteristics")
    definitions = _counted(section, "CharacteristicDefinitions", len(items))
    nominals = _counted(section, "CharacteristicNominals", len(items))
    characteristic_items = _counted(section, "CharacteristicItems", len(items))
    written = {}
    for item in items:
        kind, zone = _kind(item)
        k = scale[item.subtask_id]
        definition_id, nominal_id, item_id = ids.next(), ids.next(), ids.next()
        definition = SubElement(definitions, f"{kind}CharacteristicDefinition", {"id": definition_id})
        if zone:
            _text(definition, "ToleranceValue", item.utl * k)
            if kind == "Straightness":  # the schema requires the zone's shape here (parallel lines)
                SubElement(SubElement(definition, "ZoneShape"), "NonDiametricalZone")
        elif item.ltl is not None or item.utl is not None:
            tolerance = SubElement(definition, "Tolerance")
            if item.utl is not None:
                _text(tolerance, "MaxValue", item.utl * k)
            if item.ltl is not None:
                _text(tolerance, "MinValue", item.ltl * k)
            _text(tolerance, "DefinedAsLimit", "true")
        else:
            _text(definition, "NonTolerance", "MEASURED")
        nominal = SubElement(nominals, f"{kind}CharacteristicNominal", {"id": nominal_id})
        _text(nominal, "CharacteristicDefinitionId", definition_id)
        if item.nominal is not None and not zone:
            _text(nominal, "TargetValue", item.nominal * k)
        element = SubElement(characteristic_items, f"{kind}CharacteristicItem", {"id": item_id})
        if KIND_TYPES.get(kind) != item.measurement_type:
            SubElement(_counted(element, "Attributes", 1), "AttributeStr",
                       {"name": TYPE_ATTRIBUTE, "value": item.measurement_type})
        _text(element, "Name", item.label)
        _text(element, "CharacteristicNominalId", nominal_id)
        written[item.subtask_id] = (kind, item_id)
    return written


def _results(root: Element, ids: _Ids, items: list[PlanItem], item_ids: dict, scale: dict, run: dict,
             values: list[Value]) -> None:
    results = SubElement(root, "Results")
    measurement_set = _counted(results, "MeasurementResultsSet", 1)
    measured = SubElement(measurement_set, "MeasurementResults", {"id": ids.next()})
    known = [v for v in values if v.subtask_id in item_ids]
    characteristic_measurements = _counted(SubElement(measured, "MeasuredCharacteristics"),
                                           "CharacteristicMeasurements", len(known))
    for value in known:
        kind, item_id = item_ids[value.subtask_id]
        element = SubElement(characteristic_measurements, f"{kind}CharacteristicMeasurement", {"id": ids.next()})
        _text(SubElement(element, "Status"), "CharacteristicStatusEnum", STATUS[value.judgment])
        _text(element, "CharacteristicItemId", item_id)
        _text(element, "Value", value.value * scale[value.subtask_id])
    verdict = STATUS.get(run["status"], "INDETERMINATE")  # a run still open has no verdict yet
    _text(SubElement(measured, "InspectionStatus"), "InspectionStatusEnum", verdict)
    component_id = ids.next()
    _text(_counted(measured, "ActualComponentIds", 1), "Id", component_id)
    component_set = _counted(_counted(results, "ActualComponentSets", 1), "ActualComponentSet", 1)
    component = SubElement(component_set, "ActualComponent", {"id": component_id})
    _text(component, "SerialNumber", run["serial_number"])
    _text(SubElement(component, "Status"), "InspectionStatusEnum", verdict)
    traceability = SubElement(results, "InspectionTraceability")
    _text(traceability, "ReportPreparationDate", run["started_at"].isoformat().replace("+00:00", "Z"))

