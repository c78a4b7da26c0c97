"""QIF import: a CMM results file of 100 parts x 50 characteristics through POST /api/imports/qif.

Figures: the whole import over HTTP on a real server (first file: the recipe and its 50
characteristics are created too; later files land on it), against the baseline of only parsing
the same file in process (defusedxml), the part no database can speed up.
"""

from __future__ import annotations

import time
import uuid

import httpx

from tiemeasureflow.imports import qif_reader

from .common import api_server, database, login, median, pg_available, report
from .fixtures import build_plant

PARTS, CHARACTERISTICS, FILES = 100, 50, 3
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


def _imports(base: str, files: list[bytes]) -> list[float]:
    key = login(base, "maker", "demo-maker")
    seconds = []
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=120) as client:
        for body in files:
            start = time.perf_counter()
            res = client.post("/api/imports/qif", files={"file": ("bench.qif", body, "application/xml")})
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
        with database(kind) as (url, data_dir):
            build_plant(url, data_dir)
            with api_server(url, data_dir) as server:
                seconds = _imports(server.base_url, files)
        figures[kind] = {"first_import_s": seconds[0], "later_import_median_s": median(seconds[1:]),
                         "parse_only_s": parse, "values": PARTS * CHARACTERISTICS,
                         "values_per_s": PARTS * CHARACTERISTICS / median(seconds[1:])}
        rows.append([kind, seconds[0], median(seconds[1:]), parse, PARTS * CHARACTERISTICS / median(seconds[1:])])
    report("qif_import", f"QIF import: {PARTS} parts x {CHARACTERISTICS} characteristics per file",
           ["database", "first file (s)", "later files (s)", "parse only (s)", "values/s"], rows, figures)
    return figures


def _parse_seconds(body: bytes) -> float:
    start = time.perf_counter()
    qif_reader.parse(body)
    return time.perf_counter() - start


if __name__ == "__main__":
    run()
