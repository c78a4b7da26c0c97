"""Reading an uploaded report's body within the size limit, before any database work starts."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..kit.errors import PayloadTooLarge

MIB = 1024 * 1024


async def report_body(request: Request) -> bytes:
    """The request body; 413 once it grows past HARDPY_MAX_REPORT_MB, counted while it streams in."""
    limit_mb = request.app.state.settings.hardpy_max_report_mb
    limit = limit_mb * MIB
    too_large = PayloadTooLarge(f"The report is larger than the {limit_mb} MiB limit (HARDPY_MAX_REPORT_MB)")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


ReportBody = Annotated[bytes, Depends(report_body)]
