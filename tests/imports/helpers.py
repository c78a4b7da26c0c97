"""Uploading measuring-machine files through the API, as the tests of imports do."""

from __future__ import annotations

from pathlib import Path

FILES = Path(__file__).parent / "files"


def file_bytes(name: str) -> bytes:
    """One of the tests' own QIF/DFQ files."""
    return (FILES / name).read_bytes()


def upload(client, user, fmt: str, content: bytes, name: str = "upload", expected: int | None = 200,
           headers: dict | None = None, **form):
    """POST /api/imports/<fmt> with the file (and form fields); asserts the status when one is expected."""
    files = {"file": (name, content, "application/xml" if fmt == "qif" else "text/plain")}
    res = client.post(f"/api/imports/{fmt}", files=files, data={k: str(v) for k, v in form.items()},
                      headers={**user.headers, **(headers or {})})
    if expected is not None:
        assert res.status_code == expected, res.text
    return res
