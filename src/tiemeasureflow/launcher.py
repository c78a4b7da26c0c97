"""The `tmf` command's entry: `tmf client` loads only the station client's code, every other command the server's."""

from __future__ import annotations

import sys


def main() -> None:
    """Run `tmf`; a full disk or a folder it may not write is one line, exit 1."""
    if sys.argv[1:2] == ["client"]:
        from .client_cli import app
    else:
        from .cli import app
    try:
        app()
    except OSError as exc:
        sys.stderr.write(os_error_line(exc) + "\n")
        sys.exit(1)


def os_error_line(exc: OSError) -> str:
    """An operating-system failure (full disk, no permission) as one readable line."""
    reason = exc.strerror or str(exc)
    where = f": {exc.filename}" if exc.filename else ""
    return f"tmf: {reason}{where}"
