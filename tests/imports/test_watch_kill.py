"""`tmf import watch` killed with SIGKILL while it imports: after a restart every file is stored exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

from tests.fixtures.app import TEST_PEPPER
from tests.fixtures.live import one_at_a_time

pytestmark = one_at_a_time

NS = "http://qifstandards.org/xsd/qif3"
FILES, PARTS, CHARACTERISTICS = 4, 40, 25


def _results(number: int) -> bytes:
    """A QIF results file big enough that its import takes a while: PARTS parts x CHARACTERISTICS lengths."""
    items, nominals, definitions, results, components = [], [], [], [], []
    for c in range(CHARACTERISTICS):
        definitions.append(f'<LengthCharacteristicDefinition id="{3 * c + 1}"><Tolerance><MaxValue>0.1</MaxValue>'
                           "<MinValue>-0.1</MinValue><DefinedAsLimit>false</DefinedAsLimit></Tolerance>"
                           "</LengthCharacteristicDefinition>")
        nominals.append(f'<LengthCharacteristicNominal id="{3 * c + 2}"><CharacteristicDefinitionId>{3 * c + 1}'
                        f"</CharacteristicDefinitionId><TargetValue>{c + 5}</TargetValue></LengthCharacteristicNominal>")
        items.append(f'<LengthCharacteristicItem id="{3 * c + 3}"><Name>{c + 1}</Name><CharacteristicNominalId>'
                     f"{3 * c + 2}</CharacteristicNominalId></LengthCharacteristicItem>")
    next_id = 3 * CHARACTERISTICS + 1
    for p in range(PARTS):
        values = "".join(f'<LengthCharacteristicMeasurement id="{next_id + 2 + c}"><Status><CharacteristicStatusEnum>'
                         f"PASS</CharacteristicStatusEnum></Status><CharacteristicItemId>{3 * c + 3}"
                         f"</CharacteristicItemId><Value>{c + 5 + (p % 7) * 0.01}</Value></LengthCharacteristicMeasurement>"
                         for c in range(CHARACTERISTICS))
        results.append(f'<MeasurementResults id="{next_id}"><MeasuredCharacteristics><CharacteristicMeasurements '
                       f'n="{CHARACTERISTICS}">{values}</CharacteristicMeasurements></MeasuredCharacteristics>'
                       f'<InspectionStatus><InspectionStatusEnum>PASS</InspectionStatusEnum></InspectionStatus>'
                       f'<ActualComponentIds n="1"><Id>{next_id + 1}</Id></ActualComponentIds></MeasurementResults>')
        components.append(f'<ActualComponent id="{next_id + 1}"><SerialNumber>K{number}-{p}</SerialNumber><Status>'
                          "<InspectionStatusEnum>PASS</InspectionStatusEnum></Status></ActualComponent>")
        next_id += 2 + CHARACTERISTICS
    return (f'<?xml version="1.0" encoding="UTF-8"?><QIFDocument xmlns="{NS}" versionQIF="3.0.0" idMax="{next_id}">'
            f"<QPId>{uuid.uuid4()}</QPId><Product><PartSet n=\"1\"><Part id=\"{next_id + 1}\"><Name>Kill test</Name>"
            "<ModelNumber>KILL-QIF</ModelNumber></Part></PartSet></Product><Characteristics>"
            f'<CharacteristicDefinitions n="{CHARACTERISTICS}">{"".join(definitions)}</CharacteristicDefinitions>'
            f'<CharacteristicNominals n="{CHARACTERISTICS}">{"".join(nominals)}</CharacteristicNominals>'
            f'<CharacteristicItems n="{CHARACTERISTICS}">{"".join(items)}</CharacteristicItems></Characteristics>'
            f'<Results><MeasurementResultsSet n="{PARTS}">{"".join(results)}</MeasurementResultsSet>'
            f'<ActualComponentSets n="1"><ActualComponentSet n="{PARTS}">{"".join(components)}</ActualComponentSet>'
            "</ActualComponentSets></Results></QIFDocument>").encode()


def _watch(env: dict, inbox, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tiemeasureflow", "import", "watch", str(inbox), "--interval", "0.1",
                             *extra], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_watcher_killed_mid_import_loses_and_duplicates_nothing(database_url, tmp_path, client, metrologist):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    past = time.time() - 5
    for number in range(FILES):
        (inbox / f"run-{number}.qif").write_bytes(_results(number))
        os.utime(inbox / f"run-{number}.qif", (past, past))
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER}
    proc = _watch(env, inbox)
    try:
        # The first file moved: the watcher is now inside the next file's import, the moment to kill it.
        deadline = time.monotonic() + 120
        while not (inbox / "done").exists() or not any((inbox / "done").glob("*.qif")):
            assert proc.poll() is None and time.monotonic() < deadline, "the watcher imported nothing"
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=15)
    left = sorted(p.name for p in inbox.glob("*.qif"))
    assert left, "the kill came after the last file: nothing was interrupted"
    restarted = _watch(env, inbox, "--once")
    assert restarted.wait(timeout=300) == 0
    assert sorted(p.name for p in inbox.iterdir()) == ["done"]
    assert sorted(p.name for p in (inbox / "done").glob("*.qif")) == [f"run-{n}.qif" for n in range(FILES)]
    runs = client.get("/api/runs", params={"per_page": 1}, headers=metrologist.headers).json()
    assert runs["total"] == FILES * PARTS
    values = client.get("/api/measurements/", params={"per_page": 1}, headers=metrologist.headers).json()
    assert values["total"] == FILES * PARTS * CHARACTERISTICS
    logs = [(inbox / "done" / f"run-{n}.qif.log").read_text() for n in range(FILES)]
    assert all(f"{PARTS} runs" in log for log in logs)
