"""A real server for the web tests: uvicorn in its own process on a free port of 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent


def call(app: Any, method: str, path: str, **kw: Any) -> httpx.Response:
    """A request to an ASGI app in this process (no server): its answer, crashes included."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, path, **kw)

    return asyncio.run(go())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(
    db: str, token: str | None = None, cors: str | None = None, workers: int = 1
) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_API_TOKEN")}
    env["COMMUNIQUE_DB"] = db
    if token:
        env["COMMUNIQUE_API_TOKEN"] = token
    if cors:
        env["COMMUNIQUE_CORS"] = cors
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "communique.web.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/api/v1/events?limit=1", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        proc.stderr.read().decode() if proc.stderr else "no server"
                    ) from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def running_serve(
    db: str, *args: str, token: str | None = None, ulimit: int | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``communique serve`` itself (the protections of cli/server.py included) on a free port
    of 127.0.0.1, under an open-file limit when asked; yields its URL and its process (whose
    stderr is a pipe)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_API_TOKEN")}
    if token:
        env["COMMUNIQUE_API_TOKEN"] = token
    cmd = [sys.executable, "-m", "communique", "serve", "--db", db, "--port", str(port), *args]
    if ulimit is not None:
        cmd = ["bash", "-c", f'ulimit -n {ulimit}; exec "$@"', "serve", *cmd]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/api/v1/events?limit=1", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        proc.stderr.read().decode() if proc.stderr else "no server"
                    ) from None
                time.sleep(0.1)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rss_kb(pid: int) -> int:
    """Resident memory of a process (Linux), in KB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
