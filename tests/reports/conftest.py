"""Report tests: a recipe built and measured through the API, and PDF reading helpers."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

BORE = {"marker_number": 1, "description": "Bore diameter", "measurement_type": "diameter",
        "nominal": 10.0, "utl": 10.5, "uwl": 10.2, "lwl": 9.8, "ltl": 9.5, "unit": "mm"}
LENGTH = {"marker_number": 2, "description": "Overall length", "measurement_type": "length",
          "nominal": 50.0, "utl": 50.4, "uwl": 50.2, "lwl": 49.8, "ltl": 49.6, "unit": "mm"}


@dataclass
class Pdf:
    """A downloaded PDF: its pages' text."""

    pages: list[str]

    @property
    def text(self) -> str:
        """All pages' text."""
        return "\n".join(self.pages)


def read_pdf(response) -> Pdf:
    """Check the response is a PDF download and extract each page's text."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    return Pdf([page.extract_text() for page in reader.pages])


class Shop:
    """A recipe with two characteristics, measured by an operator, read by a metrologist, over HTTP."""

    def __init__(self, client, maker, operator, metrologist):
        self.client, self.maker, self.operator, self.metrologist = client, maker, operator, metrologist

    def call(self, user, method: str, path: str, expected: int, **kwargs):
        res = self.client.request(method, f"/api{path}", headers=user.headers, **kwargs)
        assert res.status_code == expected, (method, path, res.status_code, res.text)
        return res.json() if res.content else None

    def recipe(self, code: str = "SHAFT-01", subtasks=(BORE, LENGTH)) -> dict:
        """A recipe whose current version holds one task with the subtasks; returns the task with ids."""
        recipe = self.call(self.maker, "POST", "/recipes", 201, json={"code": code, "name": "Drive shaft"})
        task = self.call(self.maker, "POST", f"/recipes/{recipe['id']}/tasks", 201,
                         json={"title": "Turning", "subtasks": list(subtasks)})
        return {"recipe_id": recipe["id"], "version_id": task["version_id"], "subtasks": task["subtasks"]}

    def measure(self, version_id: int, subtask_id: int, values, serial_prefix: str = "SN", lot: str = "LOT-1"):
        """Post the values as one batch, one serial each."""
        items = [{"subtask_id": subtask_id, "version_id": version_id, "value": v,
                  "serial_number": f"{serial_prefix}-{i:04d}", "lot_number": lot} for i, v in enumerate(values)]
        return self.call(self.operator, "POST", "/measurements/batch", 200, json={"measurements": items})

    def report(self, kind: str, user=None, **params):
        """GET a report as the metrologist (or `user`)."""
        user = user or self.metrologist
        return self.client.get(f"/api/reports/{kind}", headers=user.headers, params=params)

    def set_language(self, language: str) -> None:
        """The metrologist's language preference."""
        self.call(self.metrologist, "PUT", "/auth/me", 200, json={"language_pref": language})


@pytest.fixture
def shop(client, maker, operator, metrologist) -> Shop:
    """The recipe/measurement/report helpers."""
    return Shop(client, maker, operator, metrologist)
