"""Dashboard pages: server-rendered HTML (Jinja2, autoescaped) with a JSON twin for each listing
(``?format=json``), and small scripts for the charts, the network, the map and the highlights."""

from __future__ import annotations

import itertools
from importlib import resources
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from communique.model import ACTOR_KINDS, ENCOUNTER_KINDS, KIND_GROUPS
from communique.queries import dashboard
from communique.queries.codes import code_name, is_organization
from communique.queries.filters import Filters
from communique.queries.listings import actors, events, search
from communique.store.db import Database
from communique.web.deps import DB, SEARCH_QUERY, filter_params, is_weblink, not_found

router = APIRouter(include_in_schema=False)
_env = Environment(
    loader=FileSystemLoader(str(resources.files("communique.web").joinpath("templates"))),
    autoescape=select_autoescape(["html"]),
)
_env.globals.update(
    encounter_kinds=ENCOUNTER_KINDS,
    actor_kinds=ACTOR_KINDS,
    is_organization=is_organization,
    code_name=code_name,
)
_env.tests["weblink"] = is_weblink  # only http(s) URLs become links: never javascript: or data:
DATES = Depends(filter_params("since", "until", blank=True))
EVENTS = Depends(
    filter_params(
        "country", "with_", "organization", "kind", "since", "until", limit=100, blank=True
    )
)
ACTORS = Depends(filter_params("country", limit=100, blank=True))
NETWORK = Depends(
    filter_params(
        "since", "until", "kind", "country", "organization", limit=150, min_limit=2, blank=True
    )
)


def render(request: Request, template: str, context: dict[str, Any], twin: Any = None) -> Response:
    """The page, or its JSON twin when ``?format=json``."""
    if request.query_params.get("format") == "json":
        return JSONResponse(twin if twin is not None else context)
    json_url = request.url.include_query_params(format="json")
    html = _env.get_template(template).render(request=request, json_url=str(json_url), **context)
    return HTMLResponse(html)


def not_found_page(request: Request, message: str) -> Response:
    return error_page(request, message, 404)


def error_page(request: Request, message: str, status: int, title: str | None = None) -> Response:
    html = _env.get_template("error.html").render(
        request=request, json_url=None, message=message, title=title
    )
    return HTMLResponse(html, status_code=status)


@router.get("/")
def overview(request: Request, db: Database = DB) -> Response:
    ctx = dashboard.overview(db)
    return render(request, "overview.html", ctx)


@router.get("/events")
def events_page(
    request: Request,
    f: Filters = EVENTS,
    db: Database = DB,
) -> Response:
    rows = events(db, f)
    return render(request, "events.html", {"rows": rows, "f": f}, twin=rows)


@router.get("/actors")
def actors_page(
    request: Request,
    f: Filters = ACTORS,
    kind: str | None = "person",
    db: Database = DB,
) -> Response:
    rows = actors(db, f, kind or None)
    return render(
        request, "actors.html", {"rows": rows, "country": f.country, "kind": kind}, twin=rows
    )


def elsewhere(request: Request, code: str, wanted: str) -> Response | None:
    """Where a code's page is when it is not of the ``wanted`` kind (``country`` or
    ``organization``): a redirect to the page of its kind; a 404 for a code of neither kind."""
    kind = dashboard.page_kind(code)
    if kind == wanted:
        return None
    if kind is None:
        raise not_found(f"no state or organisation {code.upper()}")
    url = request.url.replace(path=f"/{kind}/{code.upper()}")
    return RedirectResponse(str(url), status_code=308)


@router.get("/country/{iso3}")
def country(request: Request, iso3: str, f: Filters = DATES, db: Database = DB) -> Response:
    moved = elsewhere(request, iso3, "country")
    if moved is not None:
        return moved
    ctx = dashboard.country_page(db, iso3, f)
    return render(
        request, "country.html", {**ctx, "since": f.since, "until": f.until, "kinds": KIND_GROUPS}
    )


@router.get("/organization/{code}")
def organization(request: Request, code: str, f: Filters = DATES, db: Database = DB) -> Response:
    moved = elsewhere(request, code, "organization")
    if moved is not None:
        return moved
    ctx = dashboard.organization_page(db, code, f)
    return render(request, "organization.html", {**ctx, "since": f.since, "until": f.until})


@router.get("/map/{iso3}")
def map_page(request: Request, iso3: str, f: Filters = DATES, db: Database = DB) -> Response:
    moved = elsewhere(request, iso3, "country")  # an organisation has no place on a map
    if moved is not None:
        return moved
    ctx = dashboard.map_counts(db, iso3, f)
    return render(request, "map.html", {**ctx, "since": f.since, "until": f.until})


@router.get("/network")
def network_page(
    request: Request,
    f: Filters = NETWORK,
    persons: bool = False,
    db: Database = DB,
) -> Response:
    graph = dashboard.network(db, f, persons)
    return render(
        request,
        "network.html",
        {
            "graph": graph,
            "since": f.since,
            "until": f.until,
            "kind": f.kind,
            "country": f.country,
            "persons": persons,
        },
    )


@router.get("/search")
def search_page(request: Request, q: str = SEARCH_QUERY, db: Database = DB) -> Response:
    rows = search(db, q, 50, marks=("\x02", "\x03")) if q.strip() else []
    for r in rows:
        r["snippet_html"] = _marked(r["snippet"])
    twin = [
        {
            k: (v.replace("\x02", "[").replace("\x03", "]") if k == "snippet" else v)
            for k, v in r.items()
            if k != "snippet_html"
        }
        for r in rows
    ]
    return render(request, "search.html", {"rows": rows, "q": q}, twin=twin)


def _marked(snippet: str) -> Markup:
    """Escape a snippet, then turn its match markers into <mark> elements."""
    return Markup(str(escape(snippet)).replace("\x02", "<mark>").replace("\x03", "</mark>"))


@router.get("/documents/{doc_id}")
def document(request: Request, doc_id: str, db: Database = DB) -> Response:
    found = dashboard.document_page(db, doc_id)
    if found is None:
        raise not_found(f"no document {doc_id}")
    d, readout = found["document"], found["readout"]
    if request.query_params.get("format") == "json":
        return JSONResponse(
            {"document": {k: v for k, v in d.items() if k != "readout"}, "readout": readout}
        )
    events_list = readout["events"] if readout else []
    actors_by_id = {a["id"]: a for a in (readout["actors"] if readout else [])}
    body = highlight(d["text"], readout)
    return render(
        request,
        "document.html",
        {"d": d, "body": body, "events": events_list, "actors": actors_by_id, "readout": readout},
    )


def highlight(text: str, readout: dict[str, Any] | None) -> Markup:
    """The document text, escaped, with every actor mention and every event's evidence wrapped
    in elements that name them (so a click on an event can light up its sentences)."""
    if not readout:
        return Markup(escape(text))
    marks: list[tuple[int, int, str, str]] = []
    for e in readout["events"]:
        for ev in e["evidence"]:
            marks.append((ev["start"], ev["end"], "event", e["id"]))
    for a in readout["actors"]:
        for s, t in a["mentions"]:
            marks.append((s, t, "actor", a["id"]))
    cuts = sorted({0, len(text), *[m[0] for m in marks], *[m[1] for m in marks]})
    out = []
    for a, b in itertools.pairwise(cuts):
        if a >= b:
            continue
        evs = [m[3] for m in marks if m[2] == "event" and m[0] <= a and b <= m[1]]
        who = [m[3] for m in marks if m[2] == "actor" and m[0] <= a and b <= m[1]]
        chunk = str(escape(text[a:b]))
        if who:
            chunk = f'<mark class="actor" data-actor="{escape(who[0])}">{chunk}</mark>'
        if evs:
            chunk = f'<span class="ev" data-events="{escape(" ".join(evs))}">{chunk}</span>'
        out.append(chunk)
    return Markup("".join(out))
