"""Who may call each recipe, task and subtask route."""

from __future__ import annotations

from tests.fixtures.roles import check_route

from .conftest import SUBTASK, RecipeApi

ANY = {"admin", "maker", "operator", "metrologist"}
MAKER = {"maker"}
OPERATOR = {"operator"}


def test_role_matrix(client, role_users):
    api = RecipeApi(client, role_users["maker"])
    recipe = api.recipe(code="M-1")
    task = api.task(recipe["id"])
    rid, tid, sid = recipe["id"], task["id"], task["subtasks"][0]["id"]
    routes = [
        ("POST", "/recipes", MAKER, 201, {"json": {"code": "NEW", "name": "New"}}),
        ("GET", "/recipes", ANY, 200, {}),
        ("GET", f"/recipes/code/{recipe['code']}", OPERATOR, 200, {}),
        ("GET", f"/recipes/{rid}", ANY, 200, {}),
        ("PUT", f"/recipes/{rid}", MAKER, 200, {"json": {"name": "Renamed"}}),
        ("GET", f"/recipes/{rid}/versions", ANY, 200, {}),
        ("GET", f"/recipes/{rid}/versions/1", ANY, 200, {}),
        ("GET", f"/recipes/{rid}/versions/1/measurement-count", MAKER, 200, {}),
        ("GET", f"/recipes/{rid}/tasks", ANY, 200, {}),
        ("POST", f"/recipes/{rid}/tasks", MAKER, 201, {"json": {"title": "New"}}),
        ("PUT", "/tasks/reorder", MAKER, 200, {"json": {"task_ids": [tid]}}),
        ("PUT", f"/tasks/{tid}", MAKER, 200, {"json": {"title": "Renamed"}}),
        ("POST", f"/tasks/{tid}/subtasks", MAKER, 201, {"json": {**SUBTASK, "marker_number": 2}}),
        ("PUT", f"/subtasks/{sid}", MAKER, 200, {"json": {"nominal": 10.1}}),
        ("DELETE", f"/subtasks/{sid}", MAKER, 204, {}),
        ("DELETE", f"/tasks/{tid}", MAKER, 204, {}),
        ("DELETE", f"/recipes/{rid}", MAKER, 200, {}),
    ]
    for method, path, allowed, success, request in routes:
        if method == "PUT" and path == "/tasks/reorder":
            # The recipe above got a second task; reorder needs every task of the version.
            request = {"json": {"task_ids": [t["id"] for t in api.call("GET", f"/recipes/{rid}/tasks", 200).json()]}}
        seen = check_route(client, role_users, method, f"/api{path}", allowed, **request)
        assert all(seen[role] == success for role in allowed), (method, path, seen)
