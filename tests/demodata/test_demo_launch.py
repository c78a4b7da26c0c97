"""`tmf demo`: seeds an embedded plant, serves the API and the station client, and stops both on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tiemeasureflow.config.server import Settings

TMF = Path(sys.executable).parent / "tmf"
START_TIMEOUT_S = 180  # the first start migrates and generates history on a busy machine
STOP_TIMEOUT_S = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=2, follow_redirects=False)
    except httpx.TransportError:
        return None


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_until_both_answer(process: subprocess.Popen, api_port: int, client_port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        health = _answers(f"http://127.0.0.1:{api_port}/api/health")
        client = _answers(f"http://127.0.0.1:{client_port}/")
        if health is not None and health.status_code == 200 and client is not None and client.status_code < 500:
            return
        time.sleep(0.5)
    raise AssertionError("the demo did not answer in time")


def test_demo_serves_api_and_client_and_ctrl_c_stops_both(tmp_path):
    api_port, client_port = _free_port(), _free_port()
    clean = {k: v for k, v in os.environ.items() if k.upper() not in {n.upper() for n in Settings.model_fields}}
    process = subprocess.Popen(
        [str(TMF), "demo", "--port", str(api_port), "--client-port", str(client_port),
         "--data-dir", str(tmp_path / "demo"), "--days", "3"],
        env=clean, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_until_both_answer(process, api_port, client_port)
        login = httpx.post(f"http://127.0.0.1:{api_port}/api/auth/login",
                           json={"username": "admin", "password": "demo-admin"}, timeout=10)
        assert login.status_code == 200
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=STOP_TIMEOUT_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert not _port_open(api_port) and not _port_open(client_port)
    assert f"http://127.0.0.1:{client_port}/" in output and f"http://127.0.0.1:{api_port}/api" in output
    assert "demo-metrologist" in output and "Demo stopped." in output
    assert (tmp_path / "demo" / "tiemeasureflow.db").exists()
