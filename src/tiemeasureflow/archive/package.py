"""The archive file: one Parquet part per table (zstd) and a JSON manifest, in one plain tar.

The manifest names each part with its row count, columns and SHA-256; the whole file's SHA-256 is
kept in the database and the audit trail, and beside the file as `<name>.sha256` (`sha256sum -c`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from ..models.base import UTCDateTime

FORMAT = "tiemeasureflow-archive/1"
MANIFEST = "manifest.json"
BATCH_ROWS = 20_000


class DamagedArchive(Exception):
    """The file is not an intact archive: a checksum, a count or its structure does not match."""


def arrow_type(column: sa.Column) -> pa.DataType:
    """The Parquet type a column is kept as: every value exactly as stored (doubles unrounded)."""
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return pa.timestamp("us", tz="UTC")
    if isinstance(kind, sa.Uuid):
        return pa.string()
    if isinstance(kind, sa.Boolean):
        return pa.bool_()
    if isinstance(kind, sa.Float):
        return pa.float64()
    if isinstance(kind, sa.Integer):
        return pa.int64()
    if isinstance(kind, sa.String | sa.Text):
        return pa.string()
    raise TypeError(f"no archive type for {column.table.name}.{column.name} ({kind})")


def table_schema(table: sa.Table) -> pa.Schema:
    """The Parquet schema of a table's rows."""
    return pa.schema([pa.field(c.name, arrow_type(c), nullable=True) for c in table.columns])


def _to_arrow(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def discard(path: Path) -> None:
    """Remove an archive file and its checksum file (one that was never applied)."""
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".sha256").unlink(missing_ok=True)


def id_digest(digest: Any, ids: Iterable) -> None:
    """Feed ids (as text) into a running digest: export and read-back compare the same way."""
    digest.update(b"".join(f"{i},".encode() for i in ids))


@dataclass
class Part:
    """One table's rows as written: where, how many, and the digest of their ids in order."""

    table: sa.Table
    path: Path
    rows: int
    ids: str


def write_part(folder: Path, table: sa.Table, batches: Iterable[list[sa.Row]]) -> Part:
    """Write a table's rows (batches of Core rows) to a Parquet part."""
    schema = table_schema(table)
    path = folder / f"{table.name}.parquet"
    key = next(iter(table.primary_key.columns)).name
    rows, ids = 0, hashlib.sha256()
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in batches:
            columns = {c.name: [_to_arrow(r._mapping[c.name]) for r in batch] for c in table.columns}
            writer.write_table(pa.table(columns, schema=schema))
            rows += len(batch)
            id_digest(ids, columns[key])
    return Part(table, path, rows, ids.hexdigest())


def pack(target: Path, parts: list[Part], manifest: dict) -> str:
    """Write the tar (parts then manifest) next to `target`, fsync, rename into place; its SHA-256."""
    manifest = {**manifest, "format": FORMAT, "tables": {p.table.name: {
        "file": p.path.name, "rows": p.rows, "sha256": file_sha256(p.path),
        "columns": [{"name": f.name, "type": str(f.type)} for f in table_schema(p.table)]} for p in parts}}
    body = json.dumps(manifest, indent=2, sort_keys=True).encode()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for part in parts:
                tar.add(part.path, arcname=part.path.name, recursive=False)
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(body), int(time.time()), 0o444
            tar.addfile(info, io.BytesIO(body))
        with open(temp, "rb+") as done:
            os.fsync(done.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    checksum = file_sha256(target)
    target.with_name(target.name + ".sha256").write_text(f"{checksum}  {target.name}\n")
    return checksum


@dataclass
class Opened:
    """A verified archive: its manifest, its SHA-256 and each table's id digest as read back."""

    manifest: dict
    sha256: str
    ids: dict[str, str]


def open_verified(path: Path, keys: dict[str, str]) -> Opened:
    """Re-read the whole file: structure, each part's SHA-256 and row count, every row decoded.

    `keys` names each expected table's id column; DamagedArchive says what does not match.
    """
    checksum = file_sha256(path)
    try:
        with tarfile.open(path, mode="r:") as tar:
            members = {m.name: m for m in tar.getmembers()}
            if MANIFEST not in members:
                raise DamagedArchive("it holds no manifest")
            manifest = json.loads(tar.extractfile(members[MANIFEST]).read())
            if manifest.get("format") != FORMAT or set(manifest.get("tables", {})) != set(keys):
                raise DamagedArchive("it is not an archive of measurements and runs")
            ids = {name: _check_part(tar, members, name, manifest["tables"][name], keys[name]) for name in keys}
            if set(members) != {MANIFEST, *(t["file"] for t in manifest["tables"].values())}:
                raise DamagedArchive("it holds files the manifest does not name")
    except (tarfile.TarError, EOFError, ValueError, KeyError, TypeError, OSError, pa.ArrowException) as exc:
        raise DamagedArchive(f"it cannot be read ({exc})") from None
    return Opened(manifest, checksum, ids)


def _check_part(tar: tarfile.TarFile, members: dict, name: str, entry: dict, key: str) -> str:
    member = members.get(entry["file"])
    if member is None:
        raise DamagedArchive(f"the part {entry['file']} is missing")
    digest = hashlib.sha256()
    stream = tar.extractfile(member)
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    if digest.hexdigest() != entry["sha256"]:
        raise DamagedArchive(f"the checksum of {entry['file']} does not match the manifest")
    stream.seek(0)
    rows, ids = 0, hashlib.sha256()
    for batch in pq.ParquetFile(stream).iter_batches(batch_size=BATCH_ROWS):
        rows += batch.num_rows
        id_digest(ids, batch.column(key).to_pylist())
    if rows != entry["rows"]:
        raise DamagedArchive(f"{name} holds {rows} rows, the manifest says {entry['rows']}")
    return ids.hexdigest()


def read_rows(path: Path, file_name: str, convert: dict[str, Callable[[Any], Any]]) -> Iterable[list[dict]]:
    """A part's rows in batches, as dicts, with the named columns converted back."""
    with tarfile.open(path, mode="r:") as tar:
        stream = tar.extractfile(tar.getmember(file_name))
        for batch in pq.ParquetFile(stream).iter_batches(batch_size=BATCH_ROWS):
            rows = batch.to_pylist()
            for row in rows:
                for column, back in convert.items():
                    if row.get(column) is not None:
                        row[column] = back(row[column])
            yield rows
