"""The FAI report files: gather the forms' content and the drawing sheets, render PDF or XLSX."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..config.server import Settings
from ..models import FirstArticle, RecipeVersion
from . import content, drawing, forms_pdf, forms_xlsx


def _signature(fai: FirstArticle) -> dict | None:
    if fai.signed_at is None:
        return None
    return {"name": fai.signed_by_name, "meaning": fai.signature_meaning, "signed_at": fai.signed_at,
            "content_sha256": fai.content_sha256}


def _filename(fai: FirstArticle, suffix: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in fai.serial_number)[:60]
    return f"{fai.report_number}_{safe}.{suffix}"


def pdf(session: Session, settings: Settings, fai: FirstArticle) -> tuple[str, bytes]:
    """(filename, PDF) of Forms 1-3 and the ballooned drawing pages."""
    forms = content.build(session, fai)
    version = session.get(RecipeVersion, fai.version_id)
    sheets = drawing.sheets(version, fai.scope_json, settings.resolved_upload_dir)
    return _filename(fai, "pdf"), forms_pdf.render(forms, _signature(fai), sheets)


def xlsx(session: Session, fai: FirstArticle) -> tuple[str, bytes]:
    """(filename, XLSX) of Forms 1-3."""
    return _filename(fai, "xlsx"), forms_xlsx.render(content.build(session, fai), _signature(fai))
