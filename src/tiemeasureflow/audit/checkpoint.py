"""Checkpoints of the audit chain's head, kept outside the database (a file beside the data, and the log).

Rows removed from the end of the trail (and the head moved back to match), or every row deleted
or truncated, leave a chain that is consistent in itself; the checkpoint remembers how far it went.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

log = logging.getLogger("tiemeasureflow.audit")
PENDING = "tmf_audit_checkpoint"
SEAL = "tmf_audit_seal"
PATH = "tmf_audit_checkpoint_path"
KEY = "tmf_audit_key"


@dataclass(frozen=True)
class Checkpoint:
    """How many events the chain held, and its last event's id and hash."""

    count: int
    last_id: int
    hash: str


def read_checkpoint(path: Path) -> Checkpoint | None:
    """The checkpoint stored at path, or None when there is none."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    return Checkpoint(int(data["count"]), int(data["last_id"]), str(data["hash"]))


def write_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Replace the checkpoint file atomically (a reader sees the old or the new one, whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"count": checkpoint.count, "last_id": checkpoint.last_id, "hash": checkpoint.hash,
            "written_at": datetime.now(UTC).isoformat()}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    tmp.write_text(json.dumps(body))
    os.replace(tmp, path)


def checkpoint_head(conn, path: Path) -> None:
    """Write the current head as the first checkpoint (after an upgrade), when the chain has events and none exists.

    An existing checkpoint is never replaced from the database: that would accept a truncated trail.
    """
    if path.exists():
        return
    row = conn.execute(text("SELECT event_count, last_event_id, last_hash FROM audit_head WHERE id = 1")).first()
    if row is not None and row[0]:
        write_checkpoint(path, Checkpoint(int(row[0]), int(row[1]), str(row[2])))
