"""A real ``assess serve`` process on a free loopback port, for the service tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from typing import Iterator

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(*args: str, env: dict[str, str] | None = None, log: list[str] | None = None) -> Iterator[str]:
    """Start ``assess serve`` (a subprocess) and yield its base URL; stop it afterwards (its output into ``log``)."""
    port = free_port()
    out = tempfile.TemporaryFile()
    level = [] if "--log-level" in args else ["--log-level", "warning"]
    proc = subprocess.Popen([sys.executable, "-m", "assess.app.cli", "serve", "--port", str(port), *level, *args],
                            env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                out.seek(0)
                raise RuntimeError(f"assess serve exited: {out.read().decode(errors='replace')}")
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("assess serve did not start within 60 s")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.seek(0)
        if log is not None:
            log.append(out.read().decode(errors="replace"))
        out.close()
