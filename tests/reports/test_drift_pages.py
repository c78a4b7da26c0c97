"""The SPC report's page of EWMA/CUSUM and attribute charts, in Italian and English."""

from __future__ import annotations

import subprocess

import pytest

from tests.spc.time_weighted import NIST_CUSUM, NIST_CUSUM_VALUES
from tests.statistics.conftest import Shop


@pytest.fixture
def shop(client, maker, operator, metrologist) -> Shop:
    return Shop(client, maker, operator, metrologist)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("language,title,cusum,summary,parts", [
    ("it", "Deriva lenta e passa/non passa", "Carta CUSUM tabulare", "7 segnali su 20 punti",
     "20 pezzi, 3 scartati, 3 valori fuori tolleranza"),
    ("en", "Slow drift and go/no-go", "Tabular CUSUM chart", "7 signals in 20 points",
     "20 parts, 3 failed, 3 failed values")])
def test_report_adds_the_cusum_and_the_p_chart_page(shop, client, metrologist, tmp_path, language, title, cusum,
                                                     summary, parts):
    assert client.put("/api/auth/me", json={"language_pref": language},
                      headers=metrologist.headers).status_code == 200
    c = shop.characteristic(nominal=325.0, ltl=325.0 - 2.5, utl=328.0)
    shop.measure(c, NIST_CUSUM_VALUES)
    p = NIST_CUSUM
    params = {"recipe_id": c.recipe_id, "subtask_id": c.subtask_id, "drift_chart": "cusum", "target": p["target"],
              "sigma": p["sigma"], "cusum_k": p["k"], "cusum_h": p["H"] / p["sigma"], "attribute": "p"}
    response = client.get("/api/reports/spc", params=params, headers=metrologist.headers)
    assert response.status_code == 200, response.text[:300]
    text = pdf_text(response.content, tmp_path)
    assert title in text and cusum in text and summary in text
    # 328.33, 328.50 and 328.35 are above the upper tolerance 328: three failed parts in the one lot.
    assert parts in " ".join(text.split())
    plain = client.get("/api/reports/spc", params={"recipe_id": c.recipe_id, "subtask_id": c.subtask_id},
                       headers=metrologist.headers)
    assert title not in pdf_text(plain.content, tmp_path)
