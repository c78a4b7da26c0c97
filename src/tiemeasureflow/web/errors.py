"""Every failure becomes a readable page (or JSON for the page's scripts), never a stack trace."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .api_client import ApiError, ApiUnavailable, SessionExpired

log = logging.getLogger("tiemeasureflow.web")


def wants_json() -> bool:
    """Whether the caller is the page's own script (fetch) rather than a navigation."""
    return request.headers.get("X-Requested-With") == "fetch" or request.is_json


def api_error_message(exc: ApiError) -> str:
    """The API's refusal as a sentence for the page: what kind of problem, then the server's words."""
    kinds = {
        400: _("The request was refused"),
        403: _("You are not allowed to do this"),
        404: _("Not found"),
        409: _("Conflict"),
        413: _("The file is too large"),
        422: _("Some values are not valid"),
        429: _("Too many attempts, wait a minute and retry"),
    }
    if isinstance(exc, ApiUnavailable):
        return _("The server cannot be reached right now. Nothing was lost: retry in a moment.")
    kind = kinds.get(exc.status, _("The server reported an error"))
    return f"{kind}: {exc.detail}" if exc.detail else kind


def flash_api_error(exc: ApiError) -> int:
    """Show an API refusal on the page being re-rendered; returns the status to answer with."""
    flash(api_error_message(exc), "warning" if isinstance(exc, ApiUnavailable) else "error")
    return exc.status if exc.status in (400, 403, 404, 409, 413, 422, 429, 503) else 400


def _session_expired(exc: SessionExpired):
    from .context import store

    store().drop(session.pop("sid", None))
    message = _("Your session has expired. Please sign in again.")
    if wants_json():
        return jsonify(error=message, login=url_for("auth.login")), 401
    flash(message, "warning")
    # After signing in again: the page asked for, or (after a form) the page the form was on.
    target = request.full_path.rstrip("?") if request.method == "GET" else urlsplit(request.referrer or "").path
    return redirect(url_for("auth.login", next=target or None))


def _unavailable(exc: ApiUnavailable):
    message = api_error_message(exc)
    if wants_json():
        return jsonify(error=message, unavailable=True), 503
    # A form sent while the API was away is offered again with everything that was typed.
    replay = None
    if request.method == "POST":
        replay = [(k, v) for k, values in request.form.lists() for v in values if k != "csrf_token"]
    return render_template("error.html", status=503, message=message, replay=replay), 503


def _api_error(exc: ApiError):
    message = api_error_message(exc)
    status = exc.status if exc.status in (400, 403, 404, 409, 422, 429) else 502
    if wants_json():
        return jsonify(error=message), status
    return render_template("error.html", status=status, message=message), status


def _http_error(exc: HTTPException):
    messages = {
        403: _("Your account does not have the role this page needs."),
        404: _("This page does not exist."),
        405: _("This action is not available here."),
        413: _("The file is too large."),
    }
    message = messages.get(exc.code or 500, exc.description or "")
    if wants_json():
        return jsonify(error=message), exc.code
    return render_template("error.html", status=exc.code, message=message), exc.code


def _csrf_error(exc: CSRFError):
    message = _("The form could not be verified. Go back, reload the page and submit it again.")
    if wants_json():
        return jsonify(error=message), 400
    flash(message, "warning")
    return render_template("error.html", status=400, message=message), 400


def _unexpected(exc: Exception):
    log.exception("unexpected error on %s %s", request.method, request.path)
    message = _("Something went wrong on the station client. The error was logged.")
    if wants_json():
        return jsonify(error=message), 500
    return render_template("error.html", status=500, message=message), 500


def init_app(app: Flask) -> None:
    """Register the handlers (most specific first)."""
    app.register_error_handler(SessionExpired, _session_expired)
    app.register_error_handler(ApiUnavailable, _unavailable)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
