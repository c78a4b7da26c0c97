"""Helpers shared by the client tests: a signed-in browser session and plant data made over the API."""

from __future__ import annotations

import io
import re
from typing import Any

from PIL import Image, ImageDraw

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def drawing_png(width: int = 800, height: int = 400) -> bytes:
    """A simple technical-looking drawing: a stepped shaft with its axis and dimension lines."""
    image = Image.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(image)
    w, h = width, height
    line = max(1, min(w, h) // 100)
    pen.rectangle((0.08 * w, 0.30 * h, 0.45 * w, 0.70 * h), outline="black", width=line)
    pen.rectangle((0.45 * w, 0.38 * h, 0.92 * w, 0.62 * h), outline="black", width=line)
    pen.line((0.04 * w, 0.5 * h, 0.96 * w, 0.5 * h), fill="gray", width=1)
    for x0, x1, y in ((0.08, 0.45, 0.18), (0.45, 0.92, 0.18), (0.08, 0.92, 0.88)):
        pen.line((x0 * w, y * h, x1 * w, y * h), fill="navy", width=1)
        pen.line((x0 * w, (y - 0.04) * h, x0 * w, (y + 0.04) * h), fill="navy", width=1)
        pen.line((x1 * w, (y - 0.04) * h, x1 * w, (y + 0.04) * h), fill="navy", width=1)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class WebSession:
    """A Flask test client that signs in through the page and sends the CSRF token with every form."""

    def __init__(self, flask_client):
        self.client = flask_client
        self.token = ""

    def refresh_token(self) -> str:
        page = self.client.get("/login", follow_redirects=True).get_data(as_text=True)
        self.token = CSRF_META.search(page).group(1)
        return self.token

    def login(self, username: str, password: str):
        self.refresh_token()
        response = self.client.post("/login", data={"username": username, "password": password,
                                                    "csrf_token": self.token})
        self.refresh_token()
        return response

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: Any = None, **kwargs):
        if not self.token:
            self.refresh_token()
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, **kwargs)

    def post_json(self, url: str, payload: dict):
        if not self.token:
            self.refresh_token()
        return self.client.post(url, json=payload, headers={"X-CSRFToken": self.token, "X-Requested-With": "fetch"})


def subtask(marker: int, nominal: float, tol: float = 0.5, warn: float = 0.2, **extra) -> dict[str, Any]:
    """A length characteristic with symmetric limits."""
    return {"marker_number": marker, "description": f"Diameter {marker}", "measurement_type": "length",
            "nominal": nominal, "utl": nominal + tol, "uwl": nominal + warn, "lwl": nominal - warn,
            "ltl": nominal - tol, "unit": "mm"} | extra


def make_recipe(api, maker_headers: dict, code: str = "R-100", tasks: int = 1, per_task: int = 3,
                drawing: bool = True) -> dict[str, Any]:
    """A recipe with tasks, drawings and balloons, made through the API as a Maker."""
    recipe = api.post("/api/recipes", json={"code": code, "name": f"Shaft {code}", "change_notes": "first"},
                      headers=maker_headers)
    assert recipe.status_code == 201, recipe.text
    recipe = recipe.json()
    marker = 1
    for t in range(tasks):
        body: dict[str, Any] = {"title": f"Side {t + 1}", "directive": "Measure with the caliper",
                                "subtasks": [subtask(marker + i, 9.0 + marker + i) for i in range(per_task)]}
        if drawing:
            upload = api.post("/api/files/upload", files={"file": ("drawing.png", drawing_png(), "image/png")},
                              data={"recipe_id": str(recipe["id"])}, headers=maker_headers)
            assert upload.status_code in (200, 201), upload.text
            body |= {"file_path": upload.json()["file_path"], "file_type": "image",
                     "annotations_json": [{"marker_number": marker + i, "x": 0.2 + 0.2 * i, "y": 0.5}
                                          for i in range(per_task)]}
        created = api.post(f"/api/recipes/{recipe['id']}/tasks", json=body, headers=maker_headers)
        assert created.status_code == 201, created.text
        marker += per_task
    return api.get(f"/api/recipes/{recipe['id']}", headers=maker_headers).json()


def station_id(api, admin_headers: dict, code: str = "ST-DEFAULT") -> int:
    """The id of a station by code."""
    return next(s["id"] for s in api.get("/api/stations", headers=admin_headers).json() if s["code"] == code)


def assign(api, admin_headers: dict, recipe_id: int, code: str = "ST-DEFAULT") -> None:
    """Offer a recipe at a station."""
    response = api.post(f"/api/stations/{station_id(api, admin_headers, code)}/recipes", json={"recipe_id": recipe_id},
                        headers=admin_headers)
    assert response.status_code == 201, response.text
