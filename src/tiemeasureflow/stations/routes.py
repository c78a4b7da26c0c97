"""/api/stations: station management (admin) and the station's own recipe list (any signed-in user)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, status

from ..auth.deps import AdminPrincipal, SessionDep, current_principal, require_admin
from . import service
from .invalid_payload import ERROR_RESPONSES, InvalidPayloadIs400Route
from .schemas import (
    AssignedRecipe,
    AssignmentCreate,
    AssignmentResponse,
    ErrorBody,
    StationCreate,
    StationListItem,
    StationResponse,
    StationUpdate,
)

NOT_FOUND = {404: {"model": ErrorBody, "description": "Station not found"}}

router = APIRouter(prefix="/stations", tags=["stations"], dependencies=[Depends(require_admin)],
                   route_class=InvalidPayloadIs400Route, responses=ERROR_RESPONSES)
# The operator-facing lookup used by every station client: any signed-in user.
station_view_router = APIRouter(prefix="/stations", tags=["stations"], dependencies=[Depends(current_principal)],
                                route_class=InvalidPayloadIs400Route,
                                responses={k: v for k, v in ERROR_RESPONSES.items() if k != 403})


@station_view_router.get("/by-code/{code}/recipes", response_model=list[AssignedRecipe], responses={
    404: {"model": ErrorBody, "description": "Station not found or not active (both look the same on purpose)"}})
def recipes_for_station_code(code: str, session: SessionDep):
    """The active recipes assigned to the active station with this code."""
    return service.recipes_for_station_code(session, code)


@router.get("", response_model=list[StationListItem])
def list_stations(session: SessionDep, active_only: bool = False):
    """List stations with their assigned recipes, optionally only the active ones."""
    stations = service.list_stations(session, active_only)
    assigned = service.assignments_by_station(session, [s.id for s in stations])
    return [StationListItem(**dict(StationResponse.model_validate(station)),
                            assigned_recipes=[AssignedRecipe.model_validate(r) for r in assigned[station.id]])
            for station in stations]


@router.post("", response_model=StationResponse, status_code=status.HTTP_201_CREATED,
             responses={409: {"model": ErrorBody, "description": "Station with that code already exists"}})
def create_station(data: StationCreate, session: SessionDep, admin: AdminPrincipal):
    """Create a station."""
    return service.create_station(session, data, admin.actor)


@router.get("/{station_id}", response_model=StationResponse, responses=NOT_FOUND)
def get_station(station_id: int, session: SessionDep):
    """Read one station."""
    return service.get_station(session, station_id)


@router.put("/{station_id}", response_model=StationResponse, responses=NOT_FOUND)
def update_station(station_id: int, data: StationUpdate, session: SessionDep, admin: AdminPrincipal):
    """Update a station's name, location, notes or active flag (the code is immutable)."""
    return service.update_station(session, station_id, data, admin.actor)


@router.delete("/{station_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
def delete_station(station_id: int, session: SessionDep, admin: AdminPrincipal):
    """Delete a station and its recipe assignments; runs and measurements stay."""
    service.delete_station(session, station_id, admin.actor)


@router.get("/{station_id}/recipes", response_model=list[AssignedRecipe], responses=NOT_FOUND)
def station_recipes(station_id: int, session: SessionDep):
    """The recipes assigned to a station, active or not."""
    return service.station_recipes(session, station_id)


@router.post("/{station_id}/recipes", response_model=AssignmentResponse, status_code=status.HTTP_201_CREATED,
             responses={404: {"model": ErrorBody, "description": "Station or recipe not found"},
                        409: {"model": ErrorBody, "description": "Recipe already assigned to this station"}})
def assign_recipe(station_id: int, data: AssignmentCreate, session: SessionDep, admin: AdminPrincipal):
    """Assign a recipe to a station."""
    return service.assign_recipe(session, station_id, data.recipe_id, admin.actor)


@router.delete("/{station_id}/recipes/{recipe_id}", status_code=status.HTTP_204_NO_CONTENT, responses={
    404: {"model": ErrorBody, "description": "Station or recipe not found, or no assignment between them"}})
def unassign_recipe(station_id: int, recipe_id: int, session: SessionDep, admin: AdminPrincipal):
    """Remove a recipe from a station."""
    service.unassign_recipe(session, station_id, recipe_id, admin.actor)
