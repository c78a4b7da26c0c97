"""Swagger UI served from the package's own files, so the API docs work on a plant network without internet."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

# Copied from the npm package swagger-ui-dist 5.35.0 (OpenAPI 3.1 needs Swagger UI 5).
ASSETS_DIR = Path(__file__).parent.parent / "static" / "swagger-ui"
ASSETS_URL = "/api/docs-assets"
# Tags start folded (a click opens one) and the schema list is hidden: drawing every operation and
# model of a document this size at once stalls Swagger UI's renderer.
UI_PARAMETERS = {"docExpansion": "none", "defaultModelsExpandDepth": -1}


def swagger_page(openapi_url: str, title: str) -> HTMLResponse:
    """The Swagger UI page for one OpenAPI document, with scripts and styles from ASSETS_URL."""
    return get_swagger_ui_html(openapi_url=openapi_url, title=title,
                               swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
                               swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
                               swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
                               swagger_ui_parameters=UI_PARAMETERS)


def install_docs(app: FastAPI, path: str = "/api/docs") -> None:
    """Serve the assets and the reference API's Swagger UI at `path`."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")

    @app.get(path, include_in_schema=False)
    def docs() -> HTMLResponse:
        return swagger_page(app.openapi_url or "", f"{app.title} - Swagger UI")
