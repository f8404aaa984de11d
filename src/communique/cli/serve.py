"""``communique serve``: the REST API and the dashboard, with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from communique.cli.options import DbOption, err, open_store


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    cors: Annotated[
        list[str] | None,
        typer.Option(
            help="Allow cross-origin requests from this origin (repeatable). Off by default."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Server worker processes.")] = 1,
    max_waiting: Annotated[
        int,
        typer.Option(
            min=1,
            help="Connections waiting for a request head; beyond, the longest waiting is closed.",
        ),
    ] = 1024,
    backlog: Annotated[int, typer.Option(min=1, help="Connections waiting to be accepted.")] = 512,
    head_timeout: Annotated[
        float,
        typer.Option(
            min=0.1,
            help="Seconds a connection may take to send a request head before it is closed "
            "(one worker; several use the default).",
        ),
    ] = 10.0,
) -> None:
    """The REST API (/api/v1, docs at /docs) and the dashboard, with uvicorn. Writes through
    the API need a token: set COMMUNIQUE_API_TOKEN or COMMUNIQUE_API_TOKEN_FILE.

    A connection that sends no whole request head within --head-timeout is closed, each query
    of a request runs at most 10 s, and a request body is cut at 2 MB."""
    from communique.cli.server import run
    from communique.settings import hand_down
    from communique.store.db import database_url

    # uvicorn imports the app by name (in worker processes too): it reads these settings
    hand_down(db=database_url(db), cors_origins=tuple(cors or ()))
    open_store(db).close()  # create or migrate the database, and fail early on a bad URL
    err.print(f"communique dashboard on http://{host}:{port}/ (API docs at /docs)", highlight=False)
    run(
        "communique.web.main:app",
        host=host,
        port=port,
        workers=workers,
        max_waiting=max_waiting,
        backlog=backlog,
        head_timeout=head_timeout,
    )
