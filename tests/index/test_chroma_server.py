"""The WOZO_CHROMA_URL path against a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.errors import StoreUnavailableError
from assistant.index.build import build_index
from assistant.index.store import make_client
from assistant.pipeline import Assistant

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(path: Path, port: int) -> subprocess.Popen:
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("chroma run did not start")


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    proc = start_server(tmp_path / "server", port)
    yield f"http://127.0.0.1:{port}", proc, tmp_path / "server", port
    proc.kill()
    proc.wait(10)


def test_index_and_answer_through_a_chroma_server(mini_settings, embed_model, chroma_server):
    url, *_ = chroma_server
    settings = mini_settings.with_(chroma_url=url)
    report = build_index(settings, embed_model)
    assert report.chunks > 0
    assert not (settings.index_dir / "chroma").exists()  # nothing in the embedded store
    names = [c if isinstance(c, str) else c.name for c in make_client(settings).list_collections()]
    assert any(name.startswith("wozo_") for name in names)
    assistant = Assistant.from_settings(settings, embed_model=embed_model)
    answer = assistant.ask("Op hoeveel plekken is het aantal verpleeghuisplekken bevroren?")
    assert "125.300" in answer.text
    # incremental through the server too
    again = build_index(settings, embed_model)
    assert again.embedded == () and len(again.reused) == 2


def test_server_going_away_gives_an_error_not_a_hang(mini_settings, embed_model, chroma_server):
    url, proc, path, port = chroma_server
    settings = mini_settings.with_(chroma_url=url)
    build_index(settings, embed_model)
    assistant = Assistant.from_settings(settings, embed_model=embed_model)
    proc.kill()
    proc.wait(10)
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError):
        assistant.ask("Hoeveel plekken zijn bevroren?")
    assert time.monotonic() - started < 60
    # and it recovers when the server is back
    restarted = start_server(path, port)
    try:
        answer = assistant.ask("Op hoeveel plekken is het aantal verpleeghuisplekken bevroren?")
        assert "125.300" in answer.text
    finally:
        restarted.kill()
        restarted.wait(10)


def test_unreachable_server_is_reported(mini_settings):
    settings = mini_settings.with_(chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreUnavailableError, match="does not answer"):
        make_client(settings)
