"""/api/docs: Swagger UI served by this server, never from a CDN, so the page works on an
intranet with no internet access and runs no script the server did not ship.

The Swagger UI files come from the `fastapi-offline` wheel (its vendored `swagger-ui-dist`
5.x, which reads the OpenAPI 3.1 document FastAPI writes). The page is plain markup plus
two same-origin scripts, so it runs under the web client's strict CSP (`script-src
'self'`, no inline script); FastAPI's own docs page starts Swagger UI from an inline
script and so could not. `PARLEY_API_DOCS=false` leaves every route out (404)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from parley.web_client import PAGE_HEADERS

DOCS = "/api/docs"
ASSETS = f"{DOCS}/assets"
SWAGGER_DIST = Path(str(files("fastapi_offline") / "static"))

_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Parley API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="{ASSETS}/favicon.png">
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head><body><div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{DOCS}/init.js"></script>
</body></html>
"""

# FastAPI's default parameters, plus: no validator badge (it would call a public
# service), and the header that cookie-authenticated writes need (the CSRF guard), so
# "Try it out" works for a signed-in browser.
_INIT = """window.ui = SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  requestInterceptor: (request) => {
    request.headers["X-Requested-With"] = "SwaggerUI"
    return request
  },
})
"""


class _DocsAssets(StaticFiles):
    """Swagger UI's files: not content-hashed, so revalidated (ETag) rather than kept."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def mount_api_docs(app: FastAPI) -> None:
    """Serve the docs page, its start-up script and Swagger UI's files under /api/docs."""

    async def page() -> HTMLResponse:
        return HTMLResponse(_PAGE, headers=PAGE_HEADERS)

    async def init() -> Response:
        return Response(_INIT, media_type="text/javascript; charset=utf-8", headers=PAGE_HEADERS)

    app.add_api_route(DOCS, page, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route(f"{DOCS}/init.js", init, methods=["GET", "HEAD"], include_in_schema=False)
    app.mount(ASSETS, _DocsAssets(directory=SWAGGER_DIST), name="api-docs-assets")
