"""The station web client (Flask): talks to the API over HTTP only, with the signed-in user's key."""

from .app import create_web_app

__all__ = ["create_web_app"]
