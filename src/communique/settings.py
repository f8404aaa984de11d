"""The environment, read in one place, once: every ``COMMUNIQUE_*`` variable and its default.

=========================== =============================================== ===================
variable                    meaning                                          default
=========================== =============================================== ===================
COMMUNIQUE_DB               the store: a SQLite file or a postgresql:// URL  ./communique.db
COMMUNIQUE_API_TOKEN        the operator's token for API writes              none (read-only)
COMMUNIQUE_API_TOKEN_FILE   a file whose first line is that token            none
COMMUNIQUE_CORS             origins allowed cross-origin, comma-separated    none
COMMUNIQUE_CORPUS           root of the corpus gold files point into         ../shared/corpus
=========================== =============================================== ===================

Everything else receives its configuration as arguments; :func:`settings` is the only reader.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "communique.db"
DEFAULT_CORPUS = "../shared/corpus"


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = DEFAULT_DB
    api_token: str | None = None  # writes through the API need it; without one it is read-only
    cors_origins: tuple[str, ...] = ()
    corpus: str = DEFAULT_CORPUS

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        return cls(
            db=environ.get("COMMUNIQUE_DB") or DEFAULT_DB,
            api_token=_token(environ),
            cors_origins=tuple(o for o in environ.get("COMMUNIQUE_CORS", "").split(",") if o),
            corpus=environ.get("COMMUNIQUE_CORPUS") or DEFAULT_CORPUS,
        )


def _token(environ: Mapping[str, str]) -> str | None:
    """``COMMUNIQUE_API_TOKEN``, or the first line of the file ``COMMUNIQUE_API_TOKEN_FILE``."""
    if environ.get("COMMUNIQUE_API_TOKEN"):
        return environ["COMMUNIQUE_API_TOKEN"]
    path = environ.get("COMMUNIQUE_API_TOKEN_FILE")
    if path and Path(path).is_file():
        line = Path(path).read_text(encoding="utf-8").strip().splitlines()
        return line[0].strip() if line else None
    return None


@functools.cache
def settings() -> Settings:
    """The settings of this process, read from the environment on first use."""
    return Settings.from_environ(os.environ)


def hand_down(
    *,
    db: str | None = None,
    cors_origins: tuple[str, ...] = (),
    environ: MutableMapping[str, str] = os.environ,
) -> None:
    """Pass settings to a server this process starts (uvicorn imports the app by name, in this
    process or in worker processes): write them to the environment and forget the cached read."""
    if db:
        environ["COMMUNIQUE_DB"] = db
    if cors_origins:
        environ["COMMUNIQUE_CORS"] = ",".join(cors_origins)
    settings.cache_clear()
