"""Believe a reverse proxy's X-Forwarded-Proto and X-Forwarded-For only when it is a trusted one."""

from __future__ import annotations

from ..kit.proxies import end_user_address, is_trusted

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX", "HTTP_FORWARDED")


class TrustedProxyHeaders:
    """WSGI middleware: a trusted proxy's scheme and client address replace the peer's; others' are dropped.

    Behind a TLS proxy the page is HTTPS though the proxy speaks HTTP to us: the scheme decides the
    session cookie's Secure flag and HSTS; the end user's address is forwarded to the API, whose
    login limits count per address.
    """

    def __init__(self, app, trusted_networks: list):
        self.app = app
        self.networks = trusted_networks

    def __call__(self, environ, start_response):
        peer = environ.get("REMOTE_ADDR", "")
        if self.networks and is_trusted(peer, self.networks):
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
            environ["REMOTE_ADDR"] = end_user_address(peer, environ.get("HTTP_X_FORWARDED_FOR", ""), self.networks)
        for name in FORWARDED_HEADERS:
            environ.pop(name, None)
        return self.app(environ, start_response)
