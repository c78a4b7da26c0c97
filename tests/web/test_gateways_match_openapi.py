"""The station client's gateways call only routes the server's OpenAPI document declares, and pages call gateways."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from tiemeasureflow.web import gateways
from tiemeasureflow.web.gateways.routes import DECLARED, Route

WEB = Path(gateways.__file__).parent.parent
# What only a gateway may do: build a client call on a path.
DIRECT_CALL = re.compile(r"\b(api\(\)|ApiClient\([^)]*\))\.(get|post|put|delete|request|stream)\(")


def declared_routes() -> set[tuple[str, str]]:
    """Every (method, path template) a gateway module declares."""
    for module in pkgutil.iter_modules(gateways.__path__):
        importlib.import_module(f"{gateways.__name__}.{module.name}")
    return {(r.method, r.template) for r in DECLARED}


def missing(routes: set[tuple[str, str]], document: dict) -> set[tuple[str, str]]:
    """The routes the OpenAPI document has no operation for."""
    paths = document["paths"]
    return {(method, path) for method, path in routes if method.lower() not in paths.get(path, {})}


def test_every_gateway_route_is_in_the_openapi_document(app):
    routes = declared_routes()
    assert len(routes) > 80  # every area is declared, not just a few
    assert missing(routes, app.openapi()) == set()


def test_a_renamed_route_or_a_wrong_method_is_caught(app):
    document = app.openapi()
    typo = Route("GET", "/api/recipe/{recipe_id}/versions")
    wrong_method = Route("PATCH", "/api/recipes/{recipe_id}")
    renamed_parameter = Route("GET", "/api/recipes/{id}")
    routes = {(r.method, r.template) for r in (typo, wrong_method, renamed_parameter)}
    assert missing(routes, document) == routes


def test_pages_call_the_api_only_through_gateways():
    offenders = []
    for source in WEB.rglob("*.py"):
        if gateways.__name__.rsplit(".", 1)[1] in source.parts or source.name == "api_client.py":
            continue
        text = source.read_text(encoding="utf-8")
        offenders += [f"{source.relative_to(WEB)}: {m.group(0)}" for m in DIRECT_CALL.finditer(text)]
        offenders += [f"{source.relative_to(WEB)}: {m.group(0)}" for m in re.finditer(r"[\"']/api/", text)]
    assert offenders == []
