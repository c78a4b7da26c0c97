"""Structural checks of a QIF 3.0 document, written from the rules of the QIF 3.0 schema (QIFDocument.xsd and
the library schemas it includes: QIFResults, Characteristics, Traceability, Units, QIFProduct, PrimitivesPMI).

The official XSD cannot ship with the project, so the tests check what it enforces for the elements
TieMeasureFlow writes: namespace, `versionQIF` fixed at 3.0.0 and `idMax` (required, at least the largest
id); each element's children in the order of its type's sequence, with the required ones present; ids
unique; every reference naming an element of the right list; every `n` equal to the count of its
children; the enumerations and the date-time and number types of the values written.
"""

from __future__ import annotations

import re
from datetime import datetime
from xml.etree import ElementTree

NS = "{http://qifstandards.org/xsd/qif3}"
# QIFDocumentType's sequence (QPId is required and first).
DOCUMENT = ["QPId", "Attributes", "VersionHistory", "Version", "Header", "ValidationCounts", "ProductDataQuality",
            "ExternalQIFReferences", "StandardsDefinitions", "SoftwareDefinitions", "AlgorithmDefinitions",
            "PreInspectionTraceability", "FileUnits", "DatumDefinitions", "DatumTargetDefinitions", "Transforms",
            "CoordinateSystems", "DatumReferenceFrames", "MeasurementResources", "ThreadSpecifications", "Product",
            "Features", "FeatureZones", "Characteristics", "Plan", "Results", "Statistics",
            "ManufacturingProcessTraceabilities", "Rules", "UserDataXML", "Signature"]
CHARACTERISTIC_BASE = ["Attributes", "Description"]
DEFINITION_BASE = [*CHARACTERISTIC_BASE, "Name", "CharacteristicDesignator", "FreeState", "StatisticalCharacteristic",
                   "CommonZone", "CommonTolerance", "MedianFeature", "EnvelopeRequirement", "Independency",
                   "UnitedOrContinuousFeature", "SeparateZone"]
# (children in sequence order, required children) per element; names ending in a kind suffix match by suffix.
RULES: dict[str, tuple[list[str], set[str]]] = {
    "QIFDocument": (DOCUMENT, {"QPId"}),
    "Version": (["TimeCreated", "SignOffs"], set()),
    "FileUnits": (["PrimaryUnits", "OtherUnits"], {"PrimaryUnits"}),
    "PrimaryUnits": (["AngularUnit", "AreaUnit", "ForceUnit", "LinearUnit", "MassUnit", "PressureUnit", "SpeedUnit",
                      "TemperatureUnit", "TimeUnit"], set()),
    "AngularUnit": (["SIUnitName", "UnitName", "UnitConversion"], {"SIUnitName", "UnitName"}),
    "LinearUnit": (["SIUnitName", "UnitName", "UnitConversion"], {"SIUnitName", "UnitName"}),
    "UnitConversion": (["Factor", "Offset"], {"Factor"}),
    "Product": (["Header", "GeometrySet", "TopologySet", "NoteSet", "NoteFlagSet", "PartNoteSet", "ViewSet", "LayerSet",
                 "CoordinateSystemSet", "VisualizationSet", "AuxiliarySet", "PartSet", "AssemblySet", "ComponentSet",
                 "RootPart", "RootAssembly", "RootComponent", "AsmPaths", "MaterialLibrary"], set()),
    "Part": (["Attributes", "Name", "Validation", "Header", "UUID", "ModelNumber", "Version"], set()),
    "Characteristics": (["FormalStandardId", "CharacteristicDefinitions", "CharacteristicNominals",
                         "CharacteristicItems"], set()),
    "CharacteristicItem": ([*CHARACTERISTIC_BASE, "Name", "CharacteristicDesignator", "FeatureItemIds",
                            "SubstituteFeatureAlgorithm", "NotableEventIds", "MeasurementDeviceIds",
                            "CharacteristicNominalId", "LocationOnDrawing", "VirtualMeasurement"],
                           {"CharacteristicNominalId"}),
    "CharacteristicNominal": ([*CHARACTERISTIC_BASE, "CharacteristicDefinitionId", "FeatureNominalIds",
                               "SubstituteFeatureAlgorithm", "FeatureZoneIds", "EntityInternalIds",
                               "EntityExternalIds", "Name", "CharacteristicDesignator", "TargetValue"],
                              {"CharacteristicDefinitionId"}),
    "CharacteristicDefinition": ([*DEFINITION_BASE, "Tolerance", "NonTolerance", "ToleranceValue",
                                  "ToleranceDualValue", "MaterialCondition", "SizeCharacteristicDefinitionId",
                                  "ZoneShape", "MaximumToleranceValue"], set()),
    "CharacteristicMeasurement": ([*CHARACTERISTIC_BASE, "Status", "CharacteristicItemId", "Value"],
                                  {"Status", "CharacteristicItemId"}),
    "Tolerance": (["MaxValue", "MinValue", "DefinedAsLimit"], {"DefinedAsLimit"}),
    "Results": (["Version", "MeasurementResultsSet", "ActualComponentSets", "InspectionTraceability"],
                {"MeasurementResultsSet"}),
    "MeasurementResults": (["Attributes", "InspectionTraceability", "ThisResultsInstanceQPId", "ExternalFileReferences",
                            "MeasuredFeatures", "MeasuredPointSets", "MeasuredCharacteristics", "ActualTransforms",
                            "CoordinateSystemActualTransformAssociations", "InspectionStatus", "ActualComponentIds"],
                           {"InspectionStatus"}),
    "ActualComponent": (["Attributes", "SerialNumber", "AdditionalChanges", "Status", "Traceability", "AsmPathId"],
                        {"Status"}),
    "InspectionTraceability": (["InspectingOrganization", "CustomerOrganization", "SupplierCode", "PurchaseOrderNumber",
                                "OrderNumber", "ReportNumber", "InspectionScope", "InspectionMode", "PartialInspection",
                                "NotableEvents", "NotedEvents", "InspectionStart", "InspectionEnd",
                                "InspectionSoftwareItems", "InspectionProgram", "InspectionOperator", "ReportPreparer",
                                "ReportPreparationDate"], set()),
}
# The tolerance zone kinds whose definitions need a ToleranceValue (and, for straightness, a ZoneShape).
FORM_KINDS = {"Flatness": set(), "Circularity": set(), "Cylindricity": set(), "Straightness": {"ZoneShape"}}
LIMITED_KINDS = {"Diameter", "Length", "Width", "Height", "Depth", "Thickness", "Radius", "Angle"}
ENUMS = {"NonTolerance": {"MEASURED", "SET"}, "CharacteristicStatusEnum": {"PASS", "FAIL"},
         "InspectionStatusEnum": {"PASS", "FAIL", "INDETERMINATE"}, "DefinedAsLimit": {"true", "false"}}
NUMBERS = {"Value", "TargetValue", "MaxValue", "MinValue", "ToleranceValue", "Factor"}
TIMES = {"TimeCreated", "ReportPreparationDate", "InspectionStart"}
REFERENCES = {"CharacteristicDefinitionId": "CharacteristicDefinitions", "CharacteristicNominalId": "CharacteristicNominals",
              "CharacteristicItemId": "CharacteristicItems"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def local(tag: str) -> str:
    return tag.removeprefix(NS)


def _rule(name: str) -> tuple[str | None, tuple[list[str], set[str]] | None]:
    """The kind prefix (for characteristic aspects) and the rule of an element name."""
    if name in RULES:
        return None, RULES[name]
    for suffix in ("CharacteristicDefinition", "CharacteristicNominal", "CharacteristicItem", "CharacteristicMeasurement"):
        if name.endswith(suffix) and name != suffix:
            return name.removesuffix(suffix), RULES[suffix]
    return None, None


def _order(element, name: str, found: list[str]) -> None:
    kind, rule = _rule(name)
    if rule is None:
        return
    order, required = rule
    children = [local(c.tag) for c in element]
    unknown = [c for c in children if c not in order]
    if unknown:
        found.append(f"{name}: {unknown} not in its type's sequence")
        return
    if children != sorted(children, key=order.index):
        found.append(f"{name}: children out of order {children}")
    for missing in sorted(required - set(children)):
        found.append(f"{name}: required {missing} missing")
    if name.endswith("CharacteristicDefinition"):
        _definition(kind, name, children, found)
    if name == "Tolerance" and not {"MaxValue", "MinValue"} & set(children):
        found.append("Tolerance: neither MaxValue nor MinValue")


def _definition(kind: str | None, name: str, children: list[str], found: list[str]) -> None:
    if kind in FORM_KINDS:
        for missing in sorted(({"ToleranceValue"} | FORM_KINDS[kind]) - set(children)):
            found.append(f"{name}: required {missing} missing")
    elif kind in LIMITED_KINDS:
        if len({"Tolerance", "NonTolerance"} & set(children)) != 1:
            found.append(f"{name}: needs exactly one of Tolerance and NonTolerance")
    else:
        found.append(f"{name}: a kind whose required elements the exporter does not write")


def _value(name: str, text: str, found: list[str]) -> None:
    if name in ENUMS and text not in ENUMS[name]:
        found.append(f"{name}: {text!r} is not one of the schema's values")
    if name in NUMBERS:
        try:
            float(text)
        except ValueError:
            found.append(f"{name}: {text!r} is not a number")
    if name in TIMES:
        try:
            datetime.fromisoformat(text)
        except ValueError:
            found.append(f"{name}: {text!r} is not an xs:dateTime")
    if name == "QPId" and not UUID.match(text):
        found.append(f"QPId {text!r} is not a UUID")


def problems(body: bytes) -> list[str]:
    """What breaks the schema's rules; empty for a valid document."""
    root = ElementTree.fromstring(body)
    found = []
    if root.tag != NS + "QIFDocument" or root.get("versionQIF") != "3.0.0":
        found.append(f"root {root.tag} version {root.get('versionQIF')}")
    if not (root.get("idMax") or "").isdigit():
        found.append(f"idMax {root.get('idMax')!r} is not an unsigned integer")
    ids: dict[str, str] = {}
    for element in root.iter():
        name = local(element.tag)
        _order(element, name, found)
        if len(element) == 0:
            _value(name, (element.text or "").strip(), found)
        if element.get("id") is not None:
            if element.get("id") in ids:
                found.append(f"id {element.get('id')} twice")
            ids[element.get("id")] = name
        if element.get("n") is not None and int(element.get("n")) != len(list(element)):
            found.append(f"{name} n={element.get('n')} holds {len(list(element))}")
    if ids and max(int(i) for i in ids) > int(root.get("idMax", "0") or 0):
        found.append(f"idMax {root.get('idMax')} below the largest id")
    section_of = {}
    for section in root.iter():
        if local(section.tag) in REFERENCES.values():
            section_of.update({c.get("id"): local(section.tag) for c in section})
    for element in root.iter():
        wanted = REFERENCES.get(local(element.tag))
        if wanted and section_of.get((element.text or "").strip()) != wanted:
            found.append(f"{local(element.tag)} {element.text} does not name an element of {wanted}")
    return found
