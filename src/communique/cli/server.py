"""How ``communique serve`` runs the application: uvicorn, configured so that no client can
take the server down by holding connections.

- a connection must send a whole request head within ``HEAD_TIMEOUT`` seconds of opening (or of
  its previous response): half-open and slowly dripping connections are closed, not kept forever
  (uvicorn itself times out only idle keep-alive connections);
- at most ``MAX_WAITING`` connections wait for a request head: beyond, the one waiting longest is
  closed (a flood of idle connections evicts itself, and a client that sends its request at once
  is served). uvicorn's own ``limit_concurrency`` is not used: it counts idle connections, so
  a few hundred of them would get every real request a 503 (requests in flight are limited by
  the application, :class:`communique.web.app.Guard`);
- a bounded accept backlog, short keep-alive, a bounded graceful shutdown;
- the process may open as many files as its hard limit allows;
- a log line repeated in a burst (``accept(): too many open files`` under a connection flood, a
  stream of malformed requests) is written once per ``LOG_WINDOW`` seconds with a count, not once
  per connection.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import resource
import time
from collections import OrderedDict
from typing import Any, ClassVar

import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT = 10.0  # seconds a connection may take to send a request head
MAX_WAITING = 1024  # connections waiting for a request head; the oldest beyond are closed
BACKLOG = 512  # connections waiting to be accepted
KEEP_ALIVE = 5  # seconds an idle keep-alive connection stays open
GRACEFUL = 10  # seconds running requests get at shutdown
LOG_WINDOW = 10.0  # seconds within which a repeated log line is written once


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on each request head, and a bound on the
    connections waiting for one."""

    head_timeout = HEAD_TIMEOUT
    max_waiting = MAX_WAITING
    waiting: ClassVar[OrderedDict[int, TimedH11Protocol]] = OrderedDict()  # oldest first
    _head_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._disarm()
        waiting_after = self.cycle
        self.waiting[id(self)] = self
        while len(self.waiting) > self.max_waiting:
            _, oldest = self.waiting.popitem(last=False)
            oldest._disarm()
            if not oldest.transport.is_closing():
                oldest.transport.close()  # the longest wait goes first

        def expire() -> None:
            if self.cycle is waiting_after and not self.transport.is_closing():
                self.transport.close()  # no whole request head in time

        self._head_timer = self.loop.call_later(self.head_timeout, expire)

    def _disarm(self) -> None:
        self.waiting.pop(id(self), None)
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        before = self.cycle
        super().data_received(data)
        if self.cycle is not before:
            self._disarm()  # a request head arrived

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


class OncePerWindow(logging.Filter):
    """Lets a message through once per ``window`` seconds (by logger and message), then notes
    how many were left out. Messages that differ (a 500's error id) all pass."""

    def __init__(self, window: float = LOG_WINDOW) -> None:
        super().__init__()
        self.window = window
        self.seen: dict[tuple[str, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a record whose arguments do not format
            text = str(record.msg)
        key = (record.name, text[:200])
        now = time.monotonic()
        last, dropped = self.seen.get(key, (-1e9, 0))
        if now - last < self.window:
            self.seen[key] = (last, dropped + 1)
            return False
        if len(self.seen) > 1000:
            self.seen.clear()
        self.seen[key] = (now, 0)
        if dropped:
            record.msg = f"{record.msg} (and {dropped} more like it in {self.window:g} s)"
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with every handler rate-limited (:class:`OncePerWindow`),
    and asyncio's and the application's loggers through them (applied in each worker)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"once": {"()": OncePerWindow}}
    for handler in config["handlers"].values():
        handler["filters"] = ["once"]
    for name in ("asyncio", "communique"):
        config["loggers"][name] = {"handlers": ["default"], "level": "WARNING", "propagate": False}
    return config


def raise_file_limit() -> int:
    """The soft limit of open files raised to the hard limit; returns the limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        if hard == resource.RLIM_INFINITY or soft < hard:
            target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
    except (ValueError, OSError):  # not allowed here: keep the limit
        pass
    return int(soft)


def run(
    app: str,
    *,
    host: str,
    port: int,
    workers: int = 1,
    max_waiting: int = MAX_WAITING,
    backlog: int = BACKLOG,
    head_timeout: float = HEAD_TIMEOUT,
) -> None:
    """Serve ``app`` (an import string) with the protections above (``head_timeout`` and
    ``max_waiting`` apply to a single worker; several workers use the defaults)."""
    TimedH11Protocol.head_timeout = head_timeout
    files = raise_file_limit()
    # idle connections never take the descriptors requests, the database and logs need
    TimedH11Protocol.max_waiting = max(16, min(max_waiting, files - 128))
    uvicorn.run(
        app,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        log_config=log_config(),
        http=TimedH11Protocol,
        backlog=backlog,
        timeout_keep_alive=KEEP_ALIVE,
        timeout_graceful_shutdown=GRACEFUL,
    )
