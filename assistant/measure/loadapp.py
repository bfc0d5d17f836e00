"""The app under load: `python -m assistant serve` as a subprocess on a free local port.

`start_app` serves a private copy of the index, so a load test never touches the project's own
`indexes/`; `wait_until_up` polls until the app answers, `stop_app` ends it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from assistant.config import ROOT, Settings

API_NAME = "/ask"  # the endpoint the load test calls (see `assistant.web.chat.make_ask_api`)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes] | None, timeout_s: float) -> float:
    """Poll `url` until it answers; seconds waited. Raises when the app exits or times out."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout_s:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the app exited with code {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status < 500:
                    return time.perf_counter() - t0
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the app did not answer at {url} within {timeout_s:.0f} s")


def start_app(settings: Settings, workdir: Path, port: int) -> tuple[subprocess.Popen[bytes], Path]:
    """`python -m assistant serve` on 127.0.0.1:`port` with a private copy of the index."""
    index_dir = workdir / "indexes"
    if settings.index_dir.exists():
        shutil.copytree(settings.index_dir, index_dir)
    env = {
        **os.environ,
        "WOZO_HOST": "127.0.0.1",
        "WOZO_PORT": str(port),
        "WOZO_INDEX_DIR": str(index_dir),
        "WOZO_CORPUS_DIR": str(settings.corpus_dir),
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    log = workdir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    return proc, log


def stop_app(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
