"""The unit history pages of the station client, against the real API in process."""

from __future__ import annotations

from tests.public_api.conftest import hardpy_report
from tests.web.helpers import assign, make_recipe


def measured(client, maker, admin, operator, serial: str) -> dict:
    """A recipe offered at the client's station and one part of it measured through the API."""
    recipe = make_recipe(client, maker.headers, code="U-1", per_task=1)
    assign(client, admin.headers, recipe["id"])
    run = client.post("/api/runs", json={"recipe_id": recipe["id"], "serial_number": serial,
                                         "station_code": "ST-DEFAULT"}, headers=operator.headers).json()
    return run


def test_a_serial_of_several_part_numbers_lists_them(client, signed_in, maker, admin, operator, factory):
    measured(client, maker, admin, operator, "S-1")
    stand = factory.key("stand", "EOL stand")
    uploaded = client.post("/hardpy/api/v1/test_report", json=hardpy_report("S-1", part_number="PCB-7"),
                           headers={"Authorization": f"Bearer {stand}"})
    assert uploaded.status_code == 201, uploaded.text
    web = signed_in(operator)
    page = web.client.get("/units/?serial=S-1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="devices"' in html
    assert "/units/U-1/S-1" in html and "/units/PCB-7/S-1" in html
    one = web.client.get("/units/PCB-7/S-1")
    assert one.status_code == 200 and "EOL stand 1" in one.get_data(as_text=True)


def test_one_device_goes_straight_to_its_history(client, signed_in, maker, admin, operator):
    run = measured(client, maker, admin, operator, "S/2")
    web = signed_in(operator)
    found = web.client.get("/units/?serial=S/2")
    assert found.status_code == 302 and found.headers["Location"].endswith("/units/U-1/S/2")
    page = web.client.get("/units/U-1/S/2")
    assert page.status_code == 200 and f'data-run-id="{run["id"]}"' in page.get_data(as_text=True)
    report = web.client.get(f"/units/runs/{run['id']}/report.pdf")
    assert report.status_code == 200 and report.data.startswith(b"%PDF-")


def test_only_operators_and_metrologists_search(client, signed_in, maker):
    web = signed_in(maker)
    home = web.client.get("/recipes/")
    assert 'id="unit-search"' not in home.get_data(as_text=True)
    assert web.client.get("/units/?serial=S-1").status_code == 403
