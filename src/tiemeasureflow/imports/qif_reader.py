"""Reading a QIF 3.0 Plan or Results document into the neutral form, safely.

lxml with a parser that loads no DTD, expands no entity, fetches nothing from the network and keeps
libxml2's size limits; a document that declares a DTD at all is refused.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime

from lxml import etree

from ..recipes.catalog import MEASUREMENT_TYPES
from .document import PLAN, RESULTS, CharacteristicSpec, Document, FormatError, PartResult, Reading
from .qif_kinds import CENTRED_ZONE_KINDS, KIND_TYPES, ZONE_KINDS, angular_factor, linear_unit

QIF_NAMESPACE = "http://qifstandards.org/xsd/qif3"
STATUS = {"PASS": "pass", "FAIL": "fail"}
TYPE_ATTRIBUTE = "measurementType"  # the item attribute naming TieMeasureFlow's measurement type
_Q = "{" + QIF_NAMESPACE + "}"
ITEM_ID, VALUE, STATUS_ELEMENT = _Q + "CharacteristicItemId", _Q + "Value", _Q + "Status"
Element = etree._Element


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _child(element: Element | None, *path: str) -> Element | None:
    """The first descendant along the path of local names (in the QIF namespace)."""
    if element is None:
        return None
    return element.find("/".join(_Q + name for name in path))


def _children(element: Element | None, name: str | None = None) -> list[Element]:
    if element is None:
        return []
    return element.findall(_Q + name) if name else [c for c in element if isinstance(c.tag, str)]


def _text(element: Element | None, *path: str) -> str | None:
    found = _child(element, *path)
    if found is None or found.text is None or not found.text.strip():
        return None
    return found.text.strip()


def _number(element: Element | None, *path: str) -> float | None:
    if path:
        text = _text(element, *path)
    else:
        text = element.text.strip() or None if element is not None and element.text else None
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise FormatError(f"{'/'.join(path) or 'Value'}: {text[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise FormatError(f"{'/'.join(path) or 'Value'}: {text[:40]!r} is not a finite number")
    return value


def _time(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse(content: bytes) -> Document:
    """The document's plan or results; FormatError (the reason) for anything that is not QIF 3."""
    try:
        root = etree.fromstring(content, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise FormatError(f"not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise FormatError("the document declares a DTD; QIF documents have none and DTDs are not accepted")
    if _local(root) != "QIFDocument" or not root.tag.startswith(_Q):
        raise FormatError(f"not a QIF 3 document (root element {root.tag!r}; expected QIFDocument "
                          f"in namespace {QIF_NAMESPACE})")
    try:
        units = linear_unit(_text(root, "FileUnits", "PrimaryUnits", "LinearUnit", "UnitName"))
        degrees = angular_factor(_text(root, "FileUnits", "PrimaryUnits", "AngularUnit", "UnitName"))
    except ValueError as exc:
        raise FormatError(str(exc)) from None
    reader = _Reader(root, units, degrees, content)
    return reader.document()


class _Reader:
    """One document's id tables, followed from measurement to item to nominal to definition."""

    def __init__(self, root: Element, unit: str, degrees: float, content: bytes) -> None:
        self.root, self.unit, self.degrees, self.content = root, unit, degrees, content
        characteristics = _child(root, "Characteristics")
        self.definitions = self._by_id(_child(characteristics, "CharacteristicDefinitions"))
        self.nominals = self._by_id(_child(characteristics, "CharacteristicNominals"))
        self.items = self._by_id(_child(characteristics, "CharacteristicItems"))
        self.skipped: list[dict] = []
        self.specs: dict[str, CharacteristicSpec] = {}
        self.names: dict[str, str] = {}
        self.components: dict[str, tuple[str | None, str | None]] | None = None

    @staticmethod
    def _by_id(section: Element | None) -> dict[str, Element]:
        return {c.get("id"): c for c in _children(section) if c.get("id")}

    def document(self) -> Document:
        part = _child(self.root, "Product", "PartSet", "Part")
        number = (_text(part, "ModelNumber") or _text(part, "PartNumber")
                  or _text(part, "DefinitionExternal", "PrintedDrawing", "DrawingNumber"))
        name = _text(part, "Name") or (part.get("label") if part is not None else None)
        results = [r for s in _children(_child(self.root, "Results"), "MeasurementResultsSet")
                   for r in _children(s, "MeasurementResults")]
        qpid = _text(self.root, "QPId")
        if results:
            parts = [self._part(r, position, qpid) for position, r in enumerate(results, start=1)]
            parts = [p for p in parts if p.readings]
            if not parts:
                raise FormatError("the Results section holds no characteristic measurement with a value")
            kind = RESULTS
        else:
            if not self.items:
                raise FormatError("the document has neither Results nor CharacteristicItems: nothing to import")
            for item_id in self.items:
                self._spec(item_id, self._item_name(item_id))
            parts, kind = [], PLAN
        return Document(format="qif", kind=kind, identity=qpid, part_number=number or name, part_name=name or number,
                        characteristics=[s for s in self.specs.values() if s is not None], parts=parts, skipped=self.skipped)

    def _item_name(self, item_id: str) -> str:
        if item_id in self.names:
            return self.names[item_id]
        item = self.items[item_id]
        self.names[item_id] = name = (_text(item, "Name") or _text(item, "CharacteristicDesignator", "Designator")
                                      or f"item {item_id}")[:18]
        return name

    def _part(self, results: Element, position: int, qpid: str | None) -> PartResult:
        serial, lot = self._component(results)
        when = _time(_text(results, "InspectionTraceability", "InspectionStart")
                     or _text(self.root, "Results", "InspectionTraceability", "InspectionStart")
                     or _text(self.root, "Results", "InspectionTraceability", "ReportPreparationDate")
                     or _text(self.root, "Version", "TimeCreated"))
        if serial is None:
            instance = _text(results, "ThisResultsInstanceQPId") or (f"{qpid}-{position}" if qpid else None)
            # Only files naming neither serial nor instance pay for hashing the content.
            serial = instance or f"{hashlib.sha256(self.content).hexdigest()[:8]}-{position}"
        part = PartResult(serial=serial[:255], lot=lot, measured_at=when)
        seen: dict[str, int] = {}
        measurements = _child(results, "MeasuredCharacteristics", "CharacteristicMeasurements")
        for measurement in _children(measurements):
            # One pass over the measurement's few children: thousands of these per file.
            fields = {c.tag: c for c in measurement}
            item_id = (fields[ITEM_ID].text or "").strip() if ITEM_ID in fields else None
            if item_id not in self.items:
                self.skipped.append({"what": f"{_local(measurement)} {measurement.get('id')}",
                                     "reason": f"characteristic item {item_id} is not in the document"})
                continue
            name = self._item_name(item_id)
            seen[item_id] = seen.get(item_id, 0) + 1
            label = name if seen[item_id] == 1 else f"{name}#{seen[item_id]}"
            spec = self.specs[label] if label in self.specs else self._spec(item_id, label)
            if spec is None:
                continue
            value = _number(fields.get(VALUE))
            if value is None:
                self.skipped.append({"what": f"{serial}: {label}", "reason": "the measurement has no Value"})
                continue
            if spec.measurement_type == "angle":
                value *= self.degrees
            verdict = fields.get(STATUS_ELEMENT)
            status = STATUS.get((verdict[0].text or "").strip()) if verdict is not None and len(verdict) else None
            part.readings.append(Reading(label, value, status))
        return part

    def _component(self, results: Element) -> tuple[str | None, str | None]:
        """Serial and lot of the results' first actual component, when the file names them."""
        if self.components is None:
            # One table for the file: looking each part's component up in the whole list is quadratic.
            self.components = {}
            for sets in _children(_child(self.root, "Results"), "ActualComponentSets"):
                for component_set in _children(sets, "ActualComponentSet"):
                    for component in _children(component_set, "ActualComponent"):
                        key = component.get("id")
                        if key is not None and key not in self.components:
                            self.components[key] = (_text(component, "SerialNumber"), _text(component, "LotNumber"))
        for element in _children(_child(results, "ActualComponentIds"), "Id"):
            found = self.components.get((element.text or "").strip())
            if found is not None:
                return found
        return None, _text(results, "InspectionTraceability", "LotNumber")

    def _spec(self, item_id: str, label: str) -> CharacteristicSpec | None:
        """The characteristic (created once per label) an item's reading belongs to; None when unusable."""
        if label in self.specs:
            return self.specs[label]
        item = self.items[item_id]
        kind = _local(item).removesuffix("CharacteristicItem")
        measurement_type = KIND_TYPES.get(kind)
        if measurement_type is None:
            self.skipped.append({"what": label, "reason": f"characteristic kind {kind} is not measured as a number"})
            self.specs[label] = None  # type: ignore[assignment]
            return None
        nominal_element = self.nominals.get(_text(item, "CharacteristicNominalId") or "")
        definition = self.definitions.get(_text(nominal_element, "CharacteristicDefinitionId") or "")
        if definition is None:
            definition = self.definitions.get(_text(item, "CharacteristicDefinitionId") or "")
        angular = measurement_type == "angle"
        scale = self.degrees if angular else 1.0
        nominal = _number(nominal_element, "TargetValue")
        nominal = None if nominal is None else nominal * scale
        ltl = utl = None
        zone = _number(definition, "ToleranceValue")
        if kind in ZONE_KINDS and zone is not None:
            nominal, utl = 0.0, zone
        elif kind in CENTRED_ZONE_KINDS and zone is not None:
            nominal, ltl, utl = 0.0, -zone / 2, zone / 2
        else:
            tolerance = _child(definition, "Tolerance")
            high, low = _number(tolerance, "MaxValue"), _number(tolerance, "MinValue")
            limit = (_text(tolerance, "DefinedAsLimit") or "false").lower() == "true"
            base = 0.0 if limit or nominal is None else nominal
            if high is not None:
                utl = high * scale + (base if not limit else 0.0)
            if low is not None:
                ltl = low * scale + (base if not limit else 0.0)
            if limit and nominal is None and high is not None and low is not None:
                nominal = (high + low) * scale / 2
        # A type the writer could only give as a length or angle travels in the item's attributes.
        named = item.find(f"{_Q}Attributes/{_Q}AttributeStr[@name='{TYPE_ATTRIBUTE}']")
        if named is not None and named.get("value") in MEASUREMENT_TYPES:
            measurement_type = named.get("value")
        spec = CharacteristicSpec(label=label, measurement_type=measurement_type,
                                  unit="°" if angular else self.unit, nominal=nominal, ltl=ltl, utl=utl,
                                  description=label)
        self.specs[label] = spec
        return spec
