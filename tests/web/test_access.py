"""Every page for every role: allowed roles get the page, others a 403 page, anonymous the sign-in page."""

from __future__ import annotations

import pytest

from .helpers import assign, make_recipe

ROLES = ("admin", "maker", "operator", "metrologist")


@pytest.fixture
def plant(client, role_users):
    """One recipe (with a task) assigned to the station, made by the matrix maker."""
    maker = role_users["maker"]
    recipe = make_recipe(client, maker.headers, code="ACC-1", drawing=False)
    assign(client, role_users["admin"].headers, recipe["id"])
    return recipe


@pytest.fixture
def sessions(signed_in, role_users):
    return {role: signed_in(role_users[role]) for role in ROLES}


def pages(recipe: dict, users: dict) -> list[tuple[str, set[str]]]:
    rid = recipe["id"]
    tid = recipe["current_version"]["tasks"][0]["id"]
    uid = users["operator"].id
    return [
        ("/measure/select", {"operator"}),
        (f"/measure/recipe/{rid}/start", {"operator"}),
        ("/recipes/", {"maker"}),
        ("/recipes/new", {"maker"}),
        (f"/recipes/{rid}", {"maker"}),
        (f"/recipes/{rid}/tasks/{tid}", {"maker"}),
        (f"/recipes/{rid}/versions", {"maker"}),
        (f"/recipes/{rid}/versions/1", {"maker"}),
        ("/spc/", {"metrologist"}),
        (f"/spc/?recipe_id={rid}", {"metrologist"}),
        ("/spc/yield", {"metrologist"}),
        ("/spc/measurements", {"metrologist"}),
        ("/admin/users", {"admin"}),
        ("/admin/users/new", {"admin"}),
        (f"/admin/users/{uid}", {"admin"}),
        ("/admin/stations", {"admin"}),
        ("/admin/stations/new", {"admin"}),
        ("/admin/stations/1", {"admin"}),
        ("/admin/stations/1/recipes", {"admin"}),
        ("/admin/settings", {"admin"}),
        ("/admin/keys", {"admin"}),
        ("/admin/audit", {"admin"}),
        ("/account", set(ROLES)),
    ]


def test_every_page_for_every_role(web, sessions, plant, role_users):
    for path, allowed in pages(plant, role_users):
        anonymous = web.get(path)
        assert anonymous.status_code == 302 and "/login?next=" in anonymous.headers["Location"], path
        for role in ROLES:
            status = sessions[role].get(path).status_code
            expected = 200 if role in allowed else 403
            assert status == expected, f"{path} as {role}: {status}, expected {expected}"


@pytest.mark.parametrize("path, allowed", [
    ("/admin/users/new", "admin"),
    ("/admin/stations/new", "admin"),
    ("/admin/settings", "admin"),
    ("/admin/keys", "admin"),
    ("/recipes/new", "maker"),
])
def test_forms_refuse_other_roles(sessions, path, allowed):
    for role in ROLES:
        if role != allowed:
            assert sessions[role].post(path, {"name": "x"}).status_code == 403, (path, role)


def test_refused_page_is_readable(sessions):
    response = sessions["operator"].get("/admin/users")
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "Traceback" not in page
    assert "role" in page.lower() or "ruolo" in page.lower()


def test_home_sends_each_role_to_its_area(sessions):
    expected = {"admin": "/admin/users", "maker": "/recipes/", "operator": "/measure/select", "metrologist": "/attention"}
    for role, target in expected.items():
        assert sessions[role].get("/").headers["Location"].endswith(target)
