"""Serving the station client with waitress (a production WSGI server, pure Python)."""

from __future__ import annotations

import logging

from ..config.client import ClientSettings

log = logging.getLogger("tiemeasureflow.web")


def run_client(settings: ClientSettings, host: str, port: int, api_url: str | None = None,
               station_code: str | None = None, threads: int = 8) -> None:
    """Serve the client until interrupted."""
    from waitress import serve

    from .app import create_web_app

    app = create_web_app(settings, api_url=api_url, station_code=station_code)
    if not app.config["TMF_STATION_CODE"]:
        log.warning("STATION_CODE is empty: /measure answers 503 'Station not configured' until it is set")
    # The app decides which proxy headers to believe (TRUSTED_PROXIES); waitress must pass them on.
    serve(app, host=host, port=port, threads=threads, ident="TieMeasureFlow client",
          clear_untrusted_proxy_headers=False)
