"""The first article inspections of a device, for its history.

The history asks here and nowhere else, so FAI records plug in by answering this one function:
it returns, for the device's serial and the recipes its runs measured, each FAI as a dict with at
least `id`, `recipe_id`, `status` and a `report_url` (`/api/fai/{id}/report.pdf`), in opening order.
Until FAI records exist the answer is empty.
"""

from __future__ import annotations

from sqlalchemy.orm import Session


def fais_of(session: Session, recipe_ids: list[int], serial_number: str) -> list[dict]:
    """The FAIs opened for this serial on any of these recipes (none yet)."""
    return []
