"""The station client's only way to data: the API over HTTP, with the signed-in user's key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

# Statuses that mean "the server is briefly unable", not "your request is wrong".
UNAVAILABLE_STATUSES = frozenset({502, 503, 504})
DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=3.0)
DOWNLOAD_TIMEOUT = httpx.Timeout(120.0, connect=3.0)


class ApiError(Exception):
    """The API refused a request: its status and a readable detail."""

    def __init__(self, status: int, detail: str):
        self.status = status
        self.detail = detail
        super().__init__(f"{status}: {detail}")


class ApiUnavailable(ApiError):
    """The API could not be reached or answered that it is briefly unavailable."""

    def __init__(self, detail: str = "API server unreachable"):
        super().__init__(503, detail)


class SessionExpired(ApiError):
    """The key was refused (401): expired, revoked or never valid."""

    def __init__(self, detail: str = "Session expired"):
        super().__init__(401, detail)


def readable_detail(response: httpx.Response) -> str:
    """The API's `detail` as one readable line, whatever its shape."""
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or f"HTTP {response.status_code}"
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):
        # pydantic validation errors: name the field, not the body wrapper.
        parts = []
        for item in detail:
            if not isinstance(item, dict):
                parts.append(str(item))
                continue
            loc = [str(p) for p in item.get("loc", []) if p not in ("body", "query", "path")]
            message = str(item.get("msg", "invalid"))
            parts.append(f"{'.'.join(loc)}: {message}" if loc else message)
        return "; ".join(parts) or f"HTTP {response.status_code}"
    return response.reason_phrase or f"HTTP {response.status_code}"


class ApiClient:
    """Calls the reference API under `/api` on a shared httpx client, as one user (or anonymously)."""

    def __init__(self, http: httpx.Client, key: str | None = None, forwarded_for: str | None = None):
        self.http = http
        self.key = key
        self.forwarded_for = forwarded_for

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.key:
            headers["X-API-Key"] = self.key
        if self.forwarded_for:
            # Believed by the API only when it trusts this client as a proxy (TRUSTED_PROXIES).
            headers["X-Forwarded-For"] = self.forwarded_for
        return headers

    def _check(self, response: httpx.Response) -> httpx.Response:
        if response.status_code < 400:
            return response
        if response.status_code == 401 and self.key:
            raise SessionExpired(readable_detail(response))
        if response.status_code in UNAVAILABLE_STATUSES:
            raise ApiUnavailable(readable_detail(response))
        raise ApiError(response.status_code, readable_detail(response))

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send one request to `/api{path}`; raise ApiError on a refusal, ApiUnavailable when unreachable."""
        headers = self._headers() | kwargs.pop("headers", {})
        try:
            response = self.http.request(method, "/api" + path, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            raise ApiUnavailable(f"API server unreachable ({type(exc).__name__})") from exc
        return self._check(response)

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET and decode the JSON body."""
        return self.request("GET", path, params=_clean(params)).json()

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        """POST and decode the JSON body (None for an empty answer)."""
        return _body(self.request("POST", path, json=json, **kwargs))

    def put(self, path: str, json: Any = None) -> Any:
        """PUT and decode the JSON body."""
        return _body(self.request("PUT", path, json=json))

    def delete(self, path: str) -> Any:
        """DELETE; the body when there is one."""
        return _body(self.request("DELETE", path))

    def stream(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        """Open a streamed GET (downloads); the caller closes it after iterating."""
        request = self.http.build_request("GET", "/api" + path, params=_clean(params), headers=self._headers(),
                                          timeout=DOWNLOAD_TIMEOUT)
        try:
            response = self.http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise ApiUnavailable(f"API server unreachable ({type(exc).__name__})") from exc
        if response.status_code >= 400:
            response.read()
            response.close()
            self._check(response)
        return response


def iterate_and_close(response: httpx.Response) -> Iterator[bytes]:
    """Yield a streamed body in chunks and close it afterwards, even if the browser goes away."""
    try:
        yield from response.iter_bytes(64 * 1024)
    finally:
        response.close()


def _clean(params: dict[str, Any] | None) -> dict[str, Any] | None:
    # Empty form fields mean "no filter", not "filter on the empty string".
    if params is None:
        return None
    return {k: v for k, v in params.items() if v not in (None, "")}


def _body(response: httpx.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None
