"""Structural checks of a QIF 3.0 document, after the QIF 3.0 schema's rules (QIFDocument.xsd).

The official XSD cannot ship with the project, so the tests check what it enforces for the parts
TieMeasureFlow writes: namespace and version, the order of the document's sections, unique ids
below idMax, every reference resolving to an element of the right section, and every `n` count.
"""

from __future__ import annotations

from xml.etree import ElementTree

NS = "{http://qifstandards.org/xsd/qif3}"
# QIFDocumentType's sequence, for the sections written.
SECTION_ORDER = ["QPId", "Version", "FileUnits", "Product", "Characteristics", "Results"]
REFERENCES = {"CharacteristicDefinitionId": "CharacteristicDefinitions", "CharacteristicNominalId": "CharacteristicNominals",
              "CharacteristicItemId": "CharacteristicItems"}


def local(tag: str) -> str:
    return tag.removeprefix(NS)


def problems(body: bytes) -> list[str]:
    """What breaks the schema's rules; empty for a valid document."""
    root = ElementTree.fromstring(body)
    found = []
    if root.tag != NS + "QIFDocument" or root.get("versionQIF") != "3.0.0":
        found.append(f"root {root.tag} version {root.get('versionQIF')}")
    sections = [local(c.tag) for c in root]
    if sections != sorted(sections, key=SECTION_ORDER.index):
        found.append(f"sections out of order: {sections}")
    ids: dict[str, str] = {}
    for element in root.iter():
        if element.get("id") is not None:
            if element.get("id") in ids:
                found.append(f"id {element.get('id')} twice")
            ids[element.get("id")] = local(element.tag)
        if element.get("n") is not None and int(element.get("n")) != len(list(element)):
            found.append(f"{local(element.tag)} n={element.get('n')} holds {len(list(element))}")
    if ids and max(int(i) for i in ids) > int(root.get("idMax", "0")):
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
