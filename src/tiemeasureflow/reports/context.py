"""What both reports look up: who asks and in which language, the company and logo, the filters shown."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config.server import Settings
from ..identity.principal import Principal
from ..models import Recipe, RecipeVersion, Station, User
from ..settings.service import get_setting
from ..statistics.scope import StatisticsFilters
from .data import ReportContext


def report_context(session: Session, settings: Settings, principal: Principal) -> ReportContext:
    """Language from the caller's preference; company name and logo from the settings."""
    user = principal.user
    logo = get_setting(session, "company_logo_path")
    logo_path = None
    if logo:
        root = settings.resolved_upload_dir.resolve()
        candidate = (root / logo).resolve()
        # The setting is written only by the logo upload, but a path must never leave the upload folder.
        logo_path = candidate if candidate.is_relative_to(root) else None
    return ReportContext(
        language=(user.language_pref if user else None) or "it",
        company_name=get_setting(session, "company_name") or "",
        logo_path=logo_path,
        generated_at=datetime.now(UTC),
        generated_by=(user.display_name or user.username) if user else "-",
    )


def describe_filters(session: Session, filters: StatisticsFilters, characteristic: str | None = None
                     ) -> list[tuple[str, str | datetime]]:
    """The filters (already checked) as (label key, shown value) pairs, names instead of ids."""
    shown: list[tuple[str, str | datetime]] = []
    if characteristic:
        shown.append(("characteristic", characteristic))
    if filters.version_id is not None:
        version = session.get(RecipeVersion, filters.version_id)
        shown.append(("version", str(version.version_number) if version else f"#{filters.version_id}"))
    shown.extend(_signature(session, filters))
    if filters.station_id is not None or filters.station_code is not None:
        by_id = filters.station_id is not None
        station = session.scalar(select(Station).where(
            Station.id == filters.station_id if by_id else Station.code == filters.station_code))
        shown.append(("station", f"{station.code} – {station.name}" if station else str(filters.station_code)))
    if filters.operator_id is not None:
        user = session.get(User, filters.operator_id)
        shown.append(("operator", (user.display_name or user.username) if user else f"#{filters.operator_id}"))
    if filters.lot_number is not None:
        shown.append(("lot", filters.lot_number))
    if filters.serial_number is not None:
        shown.append(("serial", filters.serial_number))
    if filters.date_from is not None:
        shown.append(("date_from", _utc(filters.date_from)))
    if filters.date_to is not None:
        shown.append(("date_to", _utc(filters.date_to)))
    return shown


def _signature(session: Session, filters: StatisticsFilters) -> list[tuple[str, str]]:
    """The electronic signature of the version reported on (the chosen one, else the recipe's current one)."""
    version = None
    if filters.version_id is not None:
        version = session.get(RecipeVersion, filters.version_id)
    elif filters.recipe_id is not None:
        recipe = session.get(Recipe, filters.recipe_id)
        version = recipe.current_version if recipe is not None else None
    if version is None or version.signed_at is None:
        return []
    when = _utc(version.signed_at).strftime("%Y-%m-%d %H:%M UTC")
    return [("released", f"v{version.version_number} {version.signed_by_name}, {when}, {version.signature_meaning}")]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
