"""The application uvicorn serves (`communique serve`), configured by the environment
(:mod:`communique.settings`): COMMUNIQUE_DB, COMMUNIQUE_API_TOKEN / COMMUNIQUE_API_TOKEN_FILE,
COMMUNIQUE_CORS."""

from communique.web.app import create_app

app = create_app()
