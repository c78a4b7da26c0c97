"""Sign-in and out, preferences (language, theme), the company logo and drawing files."""

from __future__ import annotations

import re
import time

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _

from .api_client import ApiClient, ApiError, ApiUnavailable, iterate_and_close
from .context import current_signin, current_user, home_for, login_required, store
from .errors import flash_api_error
from .gateways import files, system, users
from .i18n import LANGUAGES, THEMES

bp = Blueprint("auth", __name__)
SAFE_PATH = re.compile(r"/(?![/\\])[!-\[\]-~]*")
LOGO_REFRESH_SECONDS = 300


def safe_next(target: str | None) -> str | None:
    """A same-site path to go back to, or None (never an open redirect)."""
    # Browsers drop tabs and newlines and read "\\" as "/", so "/\t/evil" and "/\\evil" lead
    # off-site: only printable ASCII without backslashes, starting with one "/", is accepted.
    if not target or not SAFE_PATH.fullmatch(target):
        return None
    return target


@bp.get("/")
def index():
    """The user's home area, or the sign-in page."""
    if current_signin() is None:
        return redirect(url_for("auth.login"))
    return redirect(home_for(current_user()))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with the API's login; the key stays on this server."""
    username = request.form.get("username", "").strip()
    if request.method == "POST":
        password = request.form.get("password", "")
        if not username or not password:
            flash(_("Enter your username and password."), "error")
            return render_template("auth/login.html", username=username), 400
        anonymous = ApiClient(current_app.extensions["tmf_http"], forwarded_for=request.remote_addr)
        try:
            result = users.login(anonymous, username, password)
        except ApiUnavailable as exc:
            flash_api_error(exc)
            return render_template("auth/login.html", username=username), 503
        except ApiError as exc:
            if exc.status == 401:
                flash(_("Invalid username or password."), "error")
            else:
                flash_api_error(exc)
            return render_template("auth/login.html", username=username), exc.status
        store().drop(session.get("sid"))
        session.clear()  # a fresh session on sign-in: no fixation, the user's own language and theme
        session["sid"] = store().create(result["api_key"], result["user"])
        session.permanent = True
        return redirect(safe_next(request.args.get("next")) or home_for(result["user"]))
    if current_signin() is not None:
        return redirect(home_for(current_user()))
    return render_template("auth/login.html", username=username)


@bp.post("/logout")
def logout():
    """Revoke the key at the API and forget it here."""
    entry = store().drop(session.get("sid"))
    if entry is not None:
        try:
            users.logout(ApiClient(current_app.extensions["tmf_http"], key=entry.api_key))
        except ApiError:
            pass  # an expired or unreachable key is as good as revoked for this browser
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/preferences")
def preferences():
    """Switch language or theme; saved to the user's profile when signed in."""
    changes = {}
    if request.form.get("lang") in LANGUAGES:
        changes["language_pref"] = request.form["lang"]
    if request.form.get("theme") in THEMES:
        changes["theme_pref"] = request.form["theme"]
    entry = current_signin()
    if entry is not None and changes:
        try:
            entry.user = users.update_me(changes)
        except ApiUnavailable:
            pass  # still switch this browser; the profile catches up next time
    if "language_pref" in changes:
        session["lang"] = changes["language_pref"]
    if "theme_pref" in changes:
        session["theme"] = changes["theme_pref"]
    return redirect(safe_next(request.form.get("back")) or url_for("auth.index"))


@bp.get("/account")
@login_required
def account():
    """The signed-in user's profile and roles."""
    return render_template("auth/account.html")


def current_logo() -> tuple[bytes, str] | None:
    """The company logo (bytes, content type), cached for a few minutes; refreshed by signed-in pages.

    Anonymous pages (sign-in) show the copy a signed-in page fetched last, since the API serves it
    only with a key.
    """
    cached = current_app.extensions.get("tmf_logo")
    fresh = cached is not None and time.monotonic() - cached[1] < LOGO_REFRESH_SECONDS
    if not fresh and current_signin() is not None:
        try:
            response = system.logo()
            logo = (response.content, response.headers.get("content-type", "image/png"))
        except ApiUnavailable:
            return cached[0] if cached else None
        except ApiError:
            logo = None
        cached = (logo, time.monotonic())
        current_app.extensions["tmf_logo"] = cached
    return cached[0] if cached else None


@bp.get("/logo")
def logo():
    """The company logo from the API's settings."""
    found = current_logo()
    if found is None:
        return Response(status=404)
    headers = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox"}
    return Response(found[0], content_type=found[1], headers=headers)


@bp.get("/files/<path:file_path>")
@login_required
def file(file_path: str):
    """A drawing or document from the API's upload folder, with the user's key."""
    upstream = files.open_file(file_path)
    headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}
    for name in ("content-type", "content-length", "content-disposition"):
        if name in upstream.headers:
            headers[name] = upstream.headers[name]
    return Response(stream_with_context(iterate_and_close(upstream)), headers=headers)
