"""create_app(): the API server with its routers, error handlers and middleware."""

from __future__ import annotations

import logging

from fastapi import APIRouter, FastAPI

from .. import __version__
from ..alarms import routes as alarms_routes
from ..audit import routes as audit_routes
from ..audit.sealer import SealAfterResponse
from ..audit.sealer import install as install_audit_checkpoints
from ..config.server import Settings, audit_checkpoint, audit_hmac_key
from ..devices import oauth_routes as device_oauth_routes
from ..devices import routes as device_routes
from ..fai import routes as fai_routes
from ..files import routes as files_routes
from ..gauges import routes as gauges_routes
from ..health.routes import router as health_router
from ..health.work_routes import router as work_router
from ..imports import export_routes as imports_export_routes
from ..imports import routes as imports_routes
from ..keys import routes as keys_routes
from ..kit.db import make_engine, make_sessionmaker, replica_engine
from ..kit.dbguard import Outage
from ..kit.docs_ui import install_docs
from ..kit.error_handlers import install_error_handlers
from ..kit.jsonbody import DuplicateKeyMiddleware
from ..kit.middleware import RequestContextMiddleware
from ..kit.ratelimit import RateLimiter, RateLimitMiddleware
from ..measurements import routes as measurements_routes
from ..msa import routes as msa_routes
from ..notifications import routes as notifications_routes
from ..public_api import install as install_public_api
from ..recipes import routes as recipes_routes
from ..recipes import task_routes as recipe_task_routes
from ..reports import part_routes as part_report_routes
from ..reports import routes as reports_routes
from ..runs import measurement_routes as measurement_write_routes
from ..runs import routes as runs_routes
from ..settings import routes as settings_routes
from ..shifts import routes as shifts_routes
from ..stations import routes as stations_routes
from ..statistics import hardpy_routes as hardpy_statistics_routes
from ..statistics import routes as statistics_routes
from ..units import routes as units_routes
from ..users import account_routes as auth_routes
from ..users import routes as users_routes
from .worker import background_lifespan

log = logging.getLogger("tiemeasureflow")

# Routers of the reference API, mounted under /api. Each declares its own auth.
API_ROUTERS: list[APIRouter] = [
    health_router,
    work_router,
    auth_routes.public_router,
    auth_routes.router,
    users_routes.router,
    settings_routes.router,
    statistics_routes.router,
    hardpy_statistics_routes.router,
    audit_routes.router,
    keys_routes.router,
    reports_routes.router,
    part_report_routes.router,
    units_routes.router,
    runs_routes.router,
    measurement_write_routes.router,
    measurements_routes.router,
    recipes_routes.router,
    recipe_task_routes.recipe_tasks_router,
    recipe_task_routes.router,
    stations_routes.station_view_router,
    stations_routes.router,
    files_routes.upload_router,
    files_routes.router,
    shifts_routes.router,
    alarms_routes.router,
    alarms_routes.causes_router,
    alarms_routes.attention_router,
    notifications_routes.router,
    gauges_routes.router,
    gauges_routes.rules_router,
    msa_routes.router,
    device_routes.router,
    device_routes.stands_router,
    fai_routes.router,
    imports_routes.router,
    imports_export_routes.runs_router,
    imports_export_routes.recipes_router,
    imports_export_routes.measurements_router,
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API application for the given settings."""
    settings = settings or Settings()
    app = FastAPI(
        title="TieMeasureFlow API",
        version=__version__,
        description="Measurements, inspection plans, SPC and reports. Authenticate with `X-API-Key`.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served by install_docs, with the package's own Swagger UI files
        redoc_url=None,
        lifespan=background_lifespan,
    )
    engine = make_engine(settings.resolved_database_url,
                         statement_timeout_s=settings.database_statement_timeout_seconds)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    # Read-only routes take their session from the replica when one is set (see ReadSessionDep).
    app.state.read_engine = replica_engine(settings.read_database_url, settings.database_statement_timeout_seconds) \
        if settings.read_database_url else None
    app.state.read_sessionmaker = make_sessionmaker(app.state.read_engine) if app.state.read_engine else None
    install_audit_checkpoints(app.state.sessionmaker, audit_checkpoint(settings), audit_hmac_key(settings),
                              after_response=True)
    app.state.db_outage = Outage()
    settings.resolved_upload_dir.mkdir(parents=True, exist_ok=True)

    install_error_handlers(app)
    for router in API_ROUTERS:
        app.include_router(router, prefix="/api")
    install_public_api(app)
    app.include_router(device_oauth_routes.router, include_in_schema=False)
    install_docs(app)

    limiter = RateLimiter(settings.rate_limit_storage_url, settings.rate_limit_login, settings.rate_limit_general,
                          settings.rate_limit_login_username)
    app.state.rate_limiter = limiter
    app.add_middleware(DuplicateKeyMiddleware)
    # Added last so it runs first: the client IP is known before rate limiting.
    app.add_middleware(RateLimitMiddleware, limiter=limiter)
    app.add_middleware(RequestContextMiddleware, trusted_networks=settings.trusted_proxy_networks)
    # Outermost: audit events are sealed after the whole answer has left.
    app.add_middleware(SealAfterResponse, factory=app.state.sessionmaker)
    return app
