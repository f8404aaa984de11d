"""Reading a store: the listings of the CLI, the API and the dashboard, with one set of filters.

``filters`` declares the filters, builds their WHERE clauses and pages the results (it needs no
database to be imported: the command line reads its declarations at start), ``listings``
answers events, statements, actors, relations, search and failures, ``dashboard`` the
dashboard's pages (overview, a country, the network, the map, documents, agreements).
"""
