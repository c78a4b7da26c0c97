"""The API routes the station client calls: each gateway declares its (method, path template) here once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from flask import current_app, g, request, session

from ..api_client import ApiClient

JsonObject = dict[str, Any]
# Every route a gateway declares, so a test can check each against the server's OpenAPI document.
DECLARED: list[Route] = []


def api() -> ApiClient:
    """An API client acting as the signed-in user (anonymous when nobody is)."""
    entry = g.tmf_signin if "tmf_signin" in g else current_app.extensions["tmf_signins"].get(session.get("sid"))
    return ApiClient(current_app.extensions["tmf_http"], key=entry.api_key if entry else None,
                     forwarded_for=request.remote_addr)


@dataclass(frozen=True)
class Route:
    """One API operation: its method and its path template as the OpenAPI document spells it (under /api)."""

    method: str
    template: str
    slashes: bool = False  # the last parameter is a path of several segments (a stored file)

    def path(self, **values: Any) -> str:
        """The path below /api with the template's parameters filled in (each escaped as one segment)."""
        safe = "/" if self.slashes else ""
        filled = {name: quote(str(value), safe=safe) for name, value in values.items()}
        return self.template.removeprefix("/api").format(**filled)

    def call(self, client: ApiClient | None = None, *, params: JsonObject | None = None, json: Any = None,
             send: JsonObject | None = None, **values: Any) -> Any:
        """Send it and decode the answer (JSON, or None when empty); `send` adds headers or files to a POST."""
        client = client or api()
        path = self.path(**values)
        if self.method == "GET":
            return client.get(path, params)
        if self.method == "POST":
            return client.post(path, json=json, **(send or {}))
        if self.method == "PUT":
            return client.put(path, json=json)
        return client.delete(path)

    def raw(self, client: ApiClient | None = None, **values: Any) -> httpx.Response:
        """Send it and hand back the whole response (binary bodies: images, PDFs)."""
        return (client or api()).request(self.method, self.path(**values))

    def stream(self, params: JsonObject | None = None, **values: Any) -> httpx.Response:
        """Open it as a streamed GET (downloads); the caller closes it."""
        return api().stream(self.path(**values), params)


def route(method: str, template: str, slashes: bool = False) -> Route:
    """Declare a route a gateway calls."""
    if not template.startswith("/api/"):
        raise ValueError(f"API routes live under /api/: {template}")
    declared = Route(method, template, slashes)
    DECLARED.append(declared)
    return declared
