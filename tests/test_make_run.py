"""The README's first command: `make run` serves the demo, and Ctrl-C stops all of it."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.waits  # servers and workers of their own


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except OSError:
        return None


def test_make_run_serves_the_demo_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL",)}
    env |= {"CUMBRE_VAR_DIR": str(tmp_path), "CELERY_BROKER_URL": "filesystem://"}
    log = tmp_path / "make-run.log"
    with open(log, "w") as out:
        make = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # A terminal's Ctrl-C: SIGINT to the whole process group, which does not ignore it.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and make.poll() is None:
            if _get(f"http://127.0.0.1:{port}/") == 200 and "succeeded" in log.read_text():
                break
            time.sleep(0.5)
        text = log.read_text()
        assert _get(f"http://127.0.0.1:{port}/") == 200, text
        assert f"Open:        http://127.0.0.1:{port}/" in text
        assert "Sign in as:  facilitator / " in text
        assert "Task exercises.tick" in text and "succeeded" in text, text
    finally:
        os.killpg(make.pid, signal.SIGINT)
        try:
            make.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            raise
    time.sleep(1)
    left = subprocess.run(
        ["ps", "-o", "pid=,stat=,args=", "-g", str(make.pid)], capture_output=True, text=True
    )
    # Dead children waiting to be reaped (state Z) are gone already; anything else is a leak.
    alive = [line for line in left.stdout.splitlines() if line.split()[1][0] != "Z"]
    assert alive == [], f"processes left after Ctrl-C: {alive}"
    assert _get(f"http://127.0.0.1:{port}/") is None
