"""The tab's routes, templates and the browser assets it serves from this machine."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from tab import pages
from tab.signin import add_signin_routes

HERE = Path(__file__).resolve().parent
# Fluent UI web components, their design tokens and TeamsJS, installed by `npm ci`.
NODE_MODULES = HERE.parent / "node_modules"
VENDOR = {
    "fluent": Path("@fluentui", "web-components", "dist"),
    "tokens": Path("@fluentui", "tokens", "lib"),
    "teams-js": Path("@microsoft", "teams-js", "dist", "umd"),
}


# Teams and the other Microsoft 365 hosts may frame the tab, nobody else (Microsoft's "tab
# requirements": Content-Security-Policy frame-ancestors).
FRAME_ANCESTORS = (
    "'self'",
    "https://teams.microsoft.com",
    "https://*.teams.microsoft.com",
    "https://*.cloud.microsoft",
    "https://*.microsoft365.com",
    "https://*.office.com",
    "https://outlook.office.com",
    "https://outlook.office365.com",
)
HEADERS = {
    "Content-Security-Policy": "frame-ancestors " + " ".join(FRAME_ANCESTORS),
    "Referrer-Policy": "same-origin",  # a page's address never leaves with a shared link
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",  # pages show members' answers: never kept by a proxy
}


async def _tab_headers(request: web.Request, response: web.StreamResponse) -> None:
    if request.path.startswith("/tab/") and not request.path.startswith(
        ("/tab/vendor/", "/tab/static/")
    ):
        response.headers.update(HEADERS)


def add_tab_routes(app: web.Application, assets: Path | None = None) -> None:
    """Every page under /tab/, sign-in, and the static assets (`assets`: a node_modules)."""
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
        default_helpers=False,
    )
    app.on_response_prepare.append(_tab_headers)
    add_signin_routes(app)
    app.router.add_get("/tab/personal", pages.personal)
    app.router.add_get("/tab/configure", pages.configure)
    app.router.add_get("/tab/network/{slug}", pages.year_page)
    app.router.add_get("/tab/network/{slug}/meeting/{number}", pages.meeting)
    app.router.add_get("/tab/network/{slug}/library", pages.library_page)
    app.router.add_get("/tab/network/{slug}/organisers", pages.organisers_page)
    app.router.add_static("/tab/static", HERE / "static")
    for name, inside in VENDOR.items():
        folder = (assets or NODE_MODULES) / inside
        if folder.is_dir():  # a server without the npm packages still serves plain pages
            app.router.add_static(f"/tab/vendor/{name}", folder)
