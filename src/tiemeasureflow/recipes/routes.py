"""/api/recipes: inspection plans, their versions and measurement counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from ..auth.deps import MakerPrincipal, OperatorPrincipal, SessionDep, current_principal
from ..kit.schemas import Page
from . import drafts, service
from .diff_schemas import VersionDiff
from .openapi import COMMON, errors
from .schemas import (
    MeasurementCount,
    RecipeCreate,
    RecipeListParams,
    RecipeResponse,
    RecipeUpdate,
    ReleaseRequest,
    VersionListItem,
    VersionResponse,
)

router = APIRouter(prefix="/recipes", tags=["recipes"], dependencies=[Depends(current_principal)], responses=COMMON)


@router.post("", response_model=RecipeResponse, status_code=status.HTTP_201_CREATED,
             responses=errors(403, 409, d409="Recipe code already exists"))
def create_recipe(data: RecipeCreate, session: SessionDep, maker: MakerPrincipal):
    """Create a recipe with its first version."""
    return service.create_recipe(session, data, maker.actor)


@router.get("", response_model=Page[RecipeResponse])
def list_recipes(session: SessionDep, params: Annotated[RecipeListParams, Query()]):
    """List active recipes, optionally searching code and name."""
    rows, total, pages = service.list_recipes(session, params.page, params.per_page, params.search)
    return Page[RecipeResponse](items=rows, total=total, page=params.page, per_page=params.per_page, pages=pages)


@router.get("/code/{code}", response_model=RecipeResponse, responses=errors(403, 404, d404="No active recipe with this code"))
def get_recipe_by_code(code: str, session: SessionDep, _: OperatorPrincipal):
    """Look up an active recipe by its code (barcode scan)."""
    return service.get_active_by_code(session, code)


@router.get("/{recipe_id:int}", response_model=RecipeResponse, responses=errors(404, d404="Recipe not found"))
def get_recipe(recipe_id: int, session: SessionDep):
    """Read a recipe with its current version, tasks and subtasks."""
    return service.get_recipe(session, recipe_id)


@router.put("/{recipe_id:int}", response_model=RecipeResponse, responses=errors(
    403, 404, 409, d404="Recipe not found", d409="Recipe is inactive, or only notes sent for a measured version"))
def update_recipe(recipe_id: int, data: RecipeUpdate, session: SessionDep, maker: MakerPrincipal):
    """Change a recipe's name or description (copy-on-write when the current version has measurements)."""
    return service.update_recipe(session, recipe_id, data, maker.actor)


@router.delete("/{recipe_id:int}", response_model=RecipeResponse,
               responses=errors(403, 404, 409, d404="Recipe not found", d409="Recipe is inactive"))
def deactivate_recipe(recipe_id: int, session: SessionDep, maker: MakerPrincipal):
    """Deactivate a recipe (soft delete)."""
    return service.deactivate_recipe(session, recipe_id, maker.actor)


@router.get("/{recipe_id:int}/versions", response_model=list[VersionListItem], responses=errors(404, d404="Recipe not found"))
def list_versions(recipe_id: int, session: SessionDep):
    """List every version of a recipe with its tasks and measurement count."""
    return [VersionListItem(**dict(VersionResponse.model_validate(version)), measurement_count=count)
            for version, count in service.list_versions_counted(session, recipe_id)]


@router.get("/{recipe_id:int}/versions/{version_number:int}", response_model=VersionResponse,
            responses=errors(404, d404="Recipe or version not found"))
def get_version(recipe_id: int, version_number: int, session: SessionDep):
    """Read one version with its tasks."""
    return service.get_version(session, recipe_id, version_number)


@router.get("/{recipe_id:int}/versions/{version_number:int}/measurement-count", response_model=MeasurementCount,
            responses=errors(403, 404, d404="Recipe or version not found"))
def version_measurement_count(recipe_id: int, version_number: int, session: SessionDep, _: MakerPrincipal):
    """Count the measurements taken on a version."""
    return service.version_measurement_count(session, recipe_id, version_number)


@router.post("/{recipe_id:int}/drafts", response_model=VersionResponse, status_code=status.HTTP_201_CREATED,
             responses=errors(403, 404, 409, d404="Recipe not found", d409="A draft is open already, or recipe inactive"))
def create_draft(recipe_id: int, session: SessionDep, maker: MakerPrincipal):
    """Open the next version as a draft; edits land in it until it is released."""
    return drafts.create_draft(session, recipe_id, maker)


@router.post("/{recipe_id:int}/versions/{version_number:int}/release", response_model=VersionResponse,
             responses=errors(403, 404, 409, d404="Recipe or version not found", d409="Version is not a draft"))
def release_version(recipe_id: int, version_number: int, data: ReleaseRequest, session: SessionDep,
                    maker: MakerPrincipal):
    """Release a draft with change notes and an electronic signature; it becomes the current version."""
    return drafts.release_version(session, recipe_id, version_number, data, maker)


@router.get("/{recipe_id:int}/versions/{a:int}/diff/{b:int}", response_model=VersionDiff,
            responses=errors(404, d404="Recipe or version not found"))
def version_diff(recipe_id: int, a: int, b: int, session: SessionDep):
    """Compare two versions: characteristics, limits, tasks, drawings and balloons."""
    return service.version_diff(session, recipe_id, a, b)
