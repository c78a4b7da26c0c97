"""create_web_app(): the station client (Flask) talking to the API over HTTP only."""

from __future__ import annotations

from datetime import timedelta

import httpx
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from ..config.client import ClientSettings
from . import errors, i18n, views_context
from .api_client import DEFAULT_TIMEOUT
from .proxy import TrustedProxyHeaders
from .sessions import SignInStore


class StationSessionInterface(SecureCookieSessionInterface):
    """The signed session cookie, marked Secure whenever the page itself came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        from flask import request

        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def create_web_app(settings: ClientSettings | None = None, *, http: httpx.Client | None = None,
                   api_url: str | None = None, station_code: str | None = None) -> Flask:
    """Build the client; `http` may be any httpx client aimed at the API server (tests pass one in process)."""
    settings = settings or ClientSettings()
    app = Flask(__name__)
    idle = timedelta(minutes=settings.session_idle_minutes)
    app.config.update(
        SECRET_KEY=settings.pepper,
        SESSION_COOKIE_NAME="tmf_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=idle,
        # Tablets sit on one page for a whole shift: the token lives as long as the session.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=False,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 1024 * 1024,
        TMF_STATION_CODE=(station_code if station_code is not None else settings.station_code).strip(),
        TMF_API_URL=(api_url or settings.api_url).rstrip("/"),
    )
    app.session_interface = StationSessionInterface()
    # Only TRUSTED_PROXIES may say the page is HTTPS or who the end user is.
    app.wsgi_app = TrustedProxyHeaders(app.wsgi_app, settings.trusted_proxy_networks)
    app.extensions["tmf_http"] = http or httpx.Client(base_url=app.config["TMF_API_URL"], timeout=DEFAULT_TIMEOUT)
    app.extensions["tmf_signins"] = SignInStore(idle.total_seconds())
    CSRFProtect(app)
    i18n.init_app(app)
    errors.init_app(app)
    views_context.init_app(app)
    _register_blueprints(app)
    app.after_request(_security_headers)
    return app


# Scripts only from our own static files (page data travels as JSON, never as inline code).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


HSTS = "max-age=31536000"


def _security_headers(response):
    from flask import request

    if request.is_secure:
        # Served over HTTPS (directly or through a trusted TLS proxy): browsers keep to HTTPS.
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _register_blueprints(app: Flask) -> None:
    from . import spc_hardpy  # noqa: F401 (adds the HardPy source to the SPC blueprint)
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .devices import bp as devices_bp
    from .fai import bp as fai_bp
    from .gauge_pick import bp as gauge_pick_bp
    from .gauge_pick import init_app as init_gauge_pick
    from .measure import bp as measure_bp
    from .msa import bp as msa_bp
    from .reaction import bp as reaction_bp
    from .recipes import bp as recipes_bp
    from .spc import bp as spc_bp
    from .units import bp as units_bp

    for blueprint in (auth_bp, measure_bp, recipes_bp, spc_bp, admin_bp, reaction_bp, msa_bp, gauge_pick_bp, devices_bp,
                      units_bp, fai_bp):
        app.register_blueprint(blueprint)
    init_gauge_pick(app)
    from .alarm_words import init_app as init_alarm_words
    from .spc_words import init_app as init_spc_words

    init_spc_words(app)
    init_alarm_words(app)
