"""The demo plant shows the loop: attention ranking, alarms with acknowledgements, classes, a webhook."""

from __future__ import annotations

from tests.demodata.support import api, demo_data, login


def test_demo_metrologist_home_puts_the_bearing_seat_first(database_url, tmp_path):
    demo_data(database_url, tmp_path, 3)
    with api(database_url, tmp_path) as client:
        metrologist, admin = login(client, "metrologist"), login(client, "admin")
        ranking = client.get("/api/statistics/attention", headers=metrologist)
        assert ranking.status_code == 200, ranking.text
        first = ranking.json()["items"][0]
        assert (first["recipe"]["code"], first["description"]) == ("SHAFT-042", "Bearing seat diameter")
        assert first["reasons"] and first["chart_url"].endswith(f"subtask_id={first['subtask_id']}")
        assert first["characteristic_class"] == "critical"

        acked = client.get("/api/alarms", params={"status": "acknowledged"}, headers=metrologist).json()
        still_open = client.get("/api/alarms", params={"status": "open"}, headers=metrologist).json()
        assert acked["total"] > 0 and still_open["total"] > 0
        ack = acked["items"][0]["acknowledgement"]
        assert ack["by"]["username"] == "metrologist" and ack["cause"]["code"] and ack["action"]
        # Nothing open stops a station: open alarms at a station are on non-critical characteristics.
        assert all(a["characteristic"]["class"] != "critical" for a in still_open["items"] if a["station"])
        assert {"tolerance", "capability"} <= {a["kind"] for a in acked["items"] + still_open["items"]}

        hooks = client.get("/api/webhooks", headers=admin).json()
        assert len(hooks) == 1 and set(hooks[0]["events"]) == {"alarm.raised", "alarm.acknowledged", "run.failed"}


def test_demo_has_frozen_limits_that_charts_use(database_url, tmp_path):
    demo_data(database_url, tmp_path, 3)
    with api(database_url, tmp_path) as client:
        metrologist = login(client, "metrologist")
        recipes = client.get("/api/recipes", params={"per_page": 100}, headers=metrologist).json()["items"]
        found = {}
        for summary in recipes:
            recipe = client.get(f"/api/recipes/{summary['id']}", headers=metrologist).json()
            for task in recipe["current_version"]["tasks"]:
                for sub in task["subtasks"]:
                    found[sub["description"]] = (recipe["id"], sub["id"])
        recipe_id, subtask_id = found["Keyway width"]
        sets = client.get("/api/statistics/control-limits", headers=metrologist,
                          params={"recipe_id": recipe_id, "subtask_id": subtask_id}).json()
        assert sets and sets[0]["chart"] == "imr" and sets[0]["reason"].startswith("Phase I")
        chart = client.get("/api/statistics/control-chart", headers=metrologist,
                           params={"recipe_id": recipe_id, "subtask_id": subtask_id, "chart": "imr"}).json()
        assert chart["limits_source"] == "frozen" and chart["limit_set_id"] == sets[0]["id"]
