"""QIF and DFQ import: a CMM results file of 100 parts x 50 characteristics through POST /api/imports/qif|dfq.

Figures: the whole import over HTTP on a real server (first file: the recipe and its 50
characteristics are created too; later files land on it), against the baseline of only parsing
the same file in process (lxml), the part no database can speed up; then the same parts and values
as AQDEF DFQ files (coded value lines) on the DFQ route, which shares the storing path.
"""

from __future__ import annotations

import time
import uuid

import httpx

from tiemeasureflow.imports import dfq_reader, qif_reader

from .common import api_server, database, login, median, pg_available, report
from .fixtures import build_plant

PARTS, CHARACTERISTICS, FILES = 100, 50, 3
TYPES = {"qif": "application/xml", "dfq": "text/plain"}
NS = "http://qifstandards.org/xsd/qif3"


def results_file(parts: int = PARTS, characteristics: int = CHARACTERISTICS) -> bytes:
    """A QIF 3.0 results document: `parts` measured parts, each with `characteristics` diameters."""
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<QIFDocument xmlns="{NS}" versionQIF="3.0.0" idMax="0">',
           f"<QPId>{uuid.uuid4()}</QPId>",
           "<FileUnits><PrimaryUnits><LinearUnit><SIUnitName>meter</SIUnitName><UnitName>mm</UnitName>"
           "</LinearUnit></PrimaryUnits></FileUnits>",
           '<Product><PartSet n="1"><Part id="1"><Name>Bench part</Name><ModelNumber>BENCH-QIF</ModelNumber></Part>'
           "</PartSet></Product>", "<Characteristics>"]
    ids = iter(range(10, 10**9))
    definitions, nominals, items = [], [], []
    for c in range(characteristics):
        d, n, i = next(ids), next(ids), next(ids)
        definitions.append(f'<DiameterCharacteristicDefinition id="{d}"><Tolerance><MaxValue>0.05</MaxValue>'
                           f"<MinValue>-0.05</MinValue><DefinedAsLimit>false</DefinedAsLimit></Tolerance>"
                           "</DiameterCharacteristicDefinition>")
        nominals.append(f'<DiameterCharacteristicNominal id="{n}"><CharacteristicDefinitionId>{d}'
                        f"</CharacteristicDefinitionId><TargetValue>{10 + c}</TargetValue></DiameterCharacteristicNominal>")
        items.append(f'<DiameterCharacteristicItem id="{i}"><Name>{c + 1}</Name>'
                     f"<CharacteristicNominalId>{n}</CharacteristicNominalId></DiameterCharacteristicItem>")
    out += [f'<CharacteristicDefinitions n="{characteristics}">', *definitions, "</CharacteristicDefinitions>",
            f'<CharacteristicNominals n="{characteristics}">', *nominals, "</CharacteristicNominals>",
            f'<CharacteristicItems n="{characteristics}">', *items, "</CharacteristicItems>", "</Characteristics>",
            f'<Results><MeasurementResultsSet n="{parts}">']
    components = []
    for p in range(parts):
        out.append(f'<MeasurementResults id="{next(ids)}"><MeasuredCharacteristics>'
                   f'<CharacteristicMeasurements n="{characteristics}">')
        for c in range(characteristics):
            value = 10 + c + ((p * 7 + c * 3) % 11 - 5) * 0.004
            out.append(f'<DiameterCharacteristicMeasurement id="{next(ids)}"><Status><CharacteristicStatusEnum>PASS'
                       f"</CharacteristicStatusEnum></Status><CharacteristicItemId>{10 + 3 * c + 2}"
                       f"</CharacteristicItemId><Value>{value!r}</Value></DiameterCharacteristicMeasurement>")
        component = next(ids)
        components.append(f'<ActualComponent id="{component}"><SerialNumber>B-{p:04d}</SerialNumber></ActualComponent>')
        out.append(f'</CharacteristicMeasurements></MeasuredCharacteristics><ActualComponentIds n="1"><Id>{component}'
                   "</Id></ActualComponentIds></MeasurementResults>")
    out += ["</MeasurementResultsSet>", f'<ActualComponentSets n="1"><ActualComponentSet n="{parts}">', *components,
            "</ActualComponentSet></ActualComponentSets></Results></QIFDocument>"]
    return "\n".join(out).encode()


def dfq_file(parts: int = PARTS, characteristics: int = CHARACTERISTICS) -> bytes:
    """An AQDEF DFQ file with the same shape: coded value lines, one serial (K0014) per measured part."""
    batch = uuid.uuid4().hex[:8]  # a new file each time: the import recognises a repeated one
    out = [f"K0100 {characteristics}", "K1001 BENCH-DFQ", "K1002 Bench part"]
    for c in range(1, characteristics + 1):
        out += [f"K2001/{c} {c}", f"K2002/{c} Diameter {c}", f"K2101/{c} {9 + c}", f"K2110/{c} {9 + c - 0.05}",
                f"K2111/{c} {9 + c + 0.05}", f"K2142/{c} mm"]
    for p in range(parts):
        for c in range(1, characteristics + 1):
            out.append(f"K0001/{c} {9 + c + ((p * 7 + c * 3) % 11 - 5) * 0.004!r}")
            if c == 1:
                out += [f"K0004/{c} 02.03.2026/07:30:00", f"K0014/{c} {batch}-{p:04d}"]
    return ("\r\n".join(out) + "\r\n").encode()


def _imports(base: str, files: list[bytes], fmt: str = "qif") -> list[float]:
    key = login(base, "maker", "demo-maker")
    seconds = []
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=120) as client:
        for body in files:
            start = time.perf_counter()
            res = client.post(f"/api/imports/{fmt}", files={"file": (f"bench.{fmt}", body, TYPES[fmt])})
            seconds.append(time.perf_counter() - start)
            res.raise_for_status()
            assert res.json()["measurements"] == PARTS * CHARACTERISTICS, res.text[:300]
    return seconds


def run() -> dict:
    """Measure every available database; print and write the figures."""
    figures, rows = {}, []
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    for kind in kinds:
        files = [results_file() for _ in range(FILES)]
        parse = median([_parse_seconds(body) for body in files])
        dfq_files = [dfq_file() for _ in range(FILES)]
        dfq_parse = median([_parse_seconds(body, dfq_reader.parse) for body in dfq_files])
        with database(kind) as (url, data_dir):
            build_plant(url, data_dir)
            with api_server(url, data_dir) as server:
                seconds = _imports(server.base_url, files)
                dfq_seconds = _imports(server.base_url, dfq_files, "dfq")
        for fmt, spent, parsed in (("qif", seconds, parse), ("dfq", dfq_seconds, dfq_parse)):
            later = median(spent[1:])
            figures[f"{kind}_{fmt}"] = {"first_import_s": spent[0], "later_import_median_s": later,
                                        "parse_only_s": parsed, "values": PARTS * CHARACTERISTICS,
                                        "values_per_s": PARTS * CHARACTERISTICS / later}
            rows.append([f"{kind} {fmt}", spent[0], later, parsed, PARTS * CHARACTERISTICS / later])
    report("qif_import", f"QIF and DFQ import: {PARTS} parts x {CHARACTERISTICS} characteristics per file",
           ["database, format", "first file (s)", "later files (s)", "parse only (s)", "values/s"], rows, figures)
    return figures


def _parse_seconds(body: bytes, reader=qif_reader.parse) -> float:
    start = time.perf_counter()
    reader(body)
    return time.perf_counter() - start


if __name__ == "__main__":
    run()
