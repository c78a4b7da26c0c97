"""Run HardPy's own code the way a Linux stand does: inside a D-Bus session with an unlocked GNOME keyring.

HardPy keeps its tokens in the Secret Service; each call starts a fresh session on the same keyring folder,
so tokens saved by one step (sc-login) are read by the next (uploads, reads), as on a real stand.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STAND_SCRIPT = Path(__file__).with_name("hardpy_stand.py")
KEYRING_PASSWORD = "stand-test"


def stand_env(home: Path) -> dict[str, str]:
    """A stand's environment: its own home (keyring files), unbuffered output, no API key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HARDPY_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), PYTHONUNBUFFERED="1",
               PYTHONPATH=str(REPO))
    return env


def in_keyring_session(home: Path, argv: list[str], cwd: Path, **popen) -> subprocess.Popen:
    """Start `argv` under dbus-run-session once gnome-keyring-daemon has unlocked the secrets component."""
    home.mkdir(parents=True, exist_ok=True)
    quoted = " ".join(f"'{part}'" for part in argv)
    script = (f"printf '{KEYRING_PASSWORD}' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
              f"exec {quoted}")
    return subprocess.Popen(["dbus-run-session", "--", "bash", "-c", script], cwd=cwd, env=stand_env(home),
                            text=True, **popen)


def hardpy_command() -> str:
    """The `hardpy` command of this interpreter's environment."""
    return str(Path(sys.executable).parent / "hardpy")


def run_stand_step(home: Path, project: Path, *args: str, timeout: int = 120) -> str:
    """Run one step of hardpy_stand.py in the stand's keyring session; its stdout."""
    proc = in_keyring_session(home, [sys.executable, str(STAND_SCRIPT), *args], project,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"stand step {args} failed:\n{out}\n{err}"
    return out
