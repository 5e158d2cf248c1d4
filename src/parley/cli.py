"""`parley` command line: serve, migrate, create-admin."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from parley import __version__
from parley.config import load_settings
from parley.core.errors import Problem
from parley.db.engine import create_database
from parley.db.migrate import upgrade
from parley.db.session import write_scope
from parley.org import service as org
from parley.org.schemas import SetupRequest
from parley.runtime import Runtime
from parley.security.passwords import Passwords
from parley.security.tls import TlsConfigError, check_tls, make_dev_cert
from parley.users import service as users
from parley.users.schemas import UserCreate

app = typer.Typer(help="Parley, self-hosted enterprise messaging.", no_args_is_help=True)
console = Console(stderr=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (PARLEY_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (PARLEY_PORT).")] = None,
    migrate: Annotated[bool, typer.Option(help="Apply migrations first.")] = True,
    tls_cert: Annotated[
        Path | None, typer.Option(help="PEM certificate chain: serve HTTPS (PARLEY_TLS_CERT).")
    ] = None,
    tls_key: Annotated[
        Path | None, typer.Option(help="PEM private key of --tls-cert (PARLEY_TLS_KEY).")
    ] = None,
) -> None:
    """Serve the API, the WebSocket gateway and the client."""
    given = {"host": host, "port": port, "tls_cert": tls_cert, "tls_key": tls_key}
    settings = load_settings(**{k: v for k, v in given.items() if v is not None})
    tls: dict[str, str] = {}
    if settings.tls_cert and settings.tls_key:
        try:
            check_tls(settings.tls_cert, settings.tls_key)
        except TlsConfigError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from error
        tls = {"ssl_certfile": str(settings.tls_cert), "ssl_keyfile": str(settings.tls_key)}
    if migrate and settings.auto_migrate:
        upgrade(settings)
    from parley.app import create_app

    application = create_app(settings)
    tune_gc()
    uvicorn.run(
        application,
        host=settings.host,
        port=settings.port,
        ws_max_size=settings.ws_max_frame_bytes * 4,
        log_level=settings.log_level,
        log_config=None,  # uvicorn's loggers go through ours (log_config.py): JSON lines
        proxy_headers=True,
        **tls,  # type: ignore[arg-type]
    )


def tune_gc() -> None:
    """Keep the cyclic garbage collector from pausing the node under load. Everything
    built so far (modules, mappers, schemas, routes) lives as long as the process, so it
    leaves the collector's view; and young collections run every 50,000 allocations
    instead of 700, so a batch of sends is not promoted half-built to the old generations,
    whose full passes paused the whole node for 100-250 ms every few seconds (bench/)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


@app.command("migrate")
def migrate_cmd() -> None:
    """Bring the database schema up to date."""
    settings = load_settings()
    upgrade(settings)
    console.print("[green]Database is up to date.[/green]")


@app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option(prompt=True)],
    display_name: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    organization: Annotated[
        str, typer.Option(help="Organisation name, if first-run setup is not done yet.")
    ] = "Parley",
) -> None:
    """Create an administrator (and the organisation on a fresh install)."""
    settings = load_settings()
    upgrade(settings)

    async def run() -> str:
        db = create_database(settings)
        rt = Runtime(settings, db, Passwords(settings), publish=_no_publish)
        try:
            async with write_scope(db, rt.publish) as session:
                if (await org.state(session)).needs_setup:
                    body = SetupRequest(
                        organization_name=organization,
                        username=username,
                        password=password,
                        display_name=display_name,
                    )
                    admin = await org.create_organization(session, rt, body)
                else:
                    body = UserCreate(
                        username=username,
                        password=password,
                        display_name=display_name,
                        role="admin",
                    )
                    admin = await users.create_user(session, rt, body, role="admin")
                return admin.username
        finally:
            await db.dispose()

    try:
        name = asyncio.run(run())
    except Problem as problem:
        console.print(f"[red]{problem.detail}[/red]")
        raise typer.Exit(1) from problem
    console.print(f"[green]Administrator {name} created.[/green]")


async def _no_publish(_: object) -> None:
    """The CLI has no sockets to notify; clients will sync."""


@app.command("dev-cert")
def dev_cert(
    out: Annotated[Path, typer.Option(help="Directory to write the files to.")] = Path("data/tls"),
    name: Annotated[
        list[str] | None, typer.Option(help="Host names and addresses (repeat); default local.")
    ] = None,
) -> None:
    """Make a local CA and a server certificate signed by it, to try HTTPS on this machine."""
    made = make_dev_cert(out, tuple(name) if name else ("localhost", "127.0.0.1", "::1"))
    console.print(
        f"""[green]Wrote {made.cert} and {made.key}, signed by a new local CA ({made.ca}).[/green]
Serve over HTTPS:
  parley serve --tls-cert {made.cert} --tls-key {made.key}
Trust the CA (development machines only; its key {made.ca.parent / "ca-key.pem"} signs anything):
  Debian/Ubuntu: sudo cp {made.ca} /usr/local/share/ca-certificates/parley-dev.crt
                 sudo update-ca-certificates
  macOS:         sudo security add-trusted-cert -d -r trustRoot \
                   -k /Library/Keychains/System.keychain {made.ca}
  Firefox/Chrome: import {made.ca} under Settings > Certificates > Authorities
  curl:          curl --cacert {made.ca} https://localhost:8000/api/v1/health"""
    )


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


if __name__ == "__main__":
    app()
