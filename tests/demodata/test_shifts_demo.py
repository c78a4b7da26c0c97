"""On the demo plant the afternoon shift's offset on "Overall length" shows in the by-shift comparison."""

from __future__ import annotations

from .support import api, demo_data, login


def test_the_afternoon_offset_on_overall_length_is_visible_by_shift(database_url, tmp_path):
    demo_data(database_url, tmp_path, 7)
    with api(database_url, tmp_path) as client:
        headers = login(client, "metrologist")
        shifts = client.get("/api/shifts", headers=headers).json()
        assert [s["name"] for s in shifts] == ["Early", "Afternoon", "Night"]
        found = None
        for recipe in client.get("/api/recipes", params={"per_page": 100}, headers=headers).json()["items"]:
            for subtask in client.get("/api/statistics/subtasks", params={"recipe_id": recipe["id"]},
                                      headers=headers).json():
                if subtask["description"] == "Overall length":
                    found = recipe["id"], subtask["id"]
        assert found is not None
        body = client.get("/api/statistics/comparison", params={"recipe_id": found[0], "subtask_id": found[1]},
                          headers=headers).json()
        by_shift = {g["label"]: g for g in body["shift"]}
        assert set(by_shift) == {"Early", "Afternoon"}
        # The afternoon setter runs 0.35 of the half tolerance (0.20 mm) high: about 0.07 mm, 1.5 sigma.
        assert 0.04 < by_shift["Afternoon"]["median"] - by_shift["Early"]["median"] < 0.10
        assert by_shift["Afternoon"]["q1"] > by_shift["Early"]["median"]
        afternoon = next(s for s in shifts if s["name"] == "Afternoon")
        alone = client.get("/api/statistics/capability", headers=headers,
                           params={"recipe_id": found[0], "subtask_id": found[1], "shift_id": afternoon["id"]}).json()
        assert alone["selection"]["n"] == by_shift["Afternoon"]["n"]
