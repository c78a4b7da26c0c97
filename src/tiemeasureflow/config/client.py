"""The station client's settings: the shared ones plus where the API is and which station it serves."""

from __future__ import annotations

from pydantic import Field

from .shared import SharedSettings


class ClientSettings(SharedSettings):
    """Settings of `tmf client`; reads the same environment and `.env` as the server."""

    api_url: str = Field("http://127.0.0.1:8000", description="Station client: where the API server is")
    station_code: str = Field("", description="Station client: the code of the station this client serves")
