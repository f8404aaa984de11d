"""The application uvicorn serves (`communique serve`), configured from the environment:
COMMUNIQUE_DB, COMMUNIQUE_API_TOKEN / COMMUNIQUE_API_TOKEN_FILE, COMMUNIQUE_CORS."""

import os

from communique.store.db import database_url
from communique.web.app import Settings, api_token, create_app

app = create_app(
    Settings(
        db_url=database_url(),
        token=api_token(),
        cors_origins=tuple(o for o in os.environ.get("COMMUNIQUE_CORS", "").split(",") if o),
    )
)
