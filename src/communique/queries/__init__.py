"""Reading a store: the listings of the CLI, the API and the dashboard, with one set of filters.

``filters`` declares the filters and builds their WHERE clauses, ``listings`` answers events,
actors, relations, search and failures, ``dashboard`` the dashboard's pages (overview, a country,
the network, the map, documents, agreements).
"""

from communique.queries.filters import Filters
from communique.queries.listings import actors, events, failures, relations, search, statements

__all__ = ["Filters", "actors", "events", "failures", "relations", "search", "statements"]
