"""What the server and the station client both read: data folder, secret key, proxies, sessions, uploads."""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from ipaddress import ip_network
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FILE_NAME = "secret_key"


class SharedSettings(BaseSettings):
    """The settings common to both processes; env names match the reference."""

    # validate_default: the default relative paths resolve against the start directory too.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False, validate_default=True)

    data_dir: Path = Field(Path("data"), description="Folder for the embedded database, uploads and the generated secret")
    max_upload_size_mb: int = Field(50, ge=1, description="Largest accepted upload, in MiB")
    trusted_proxies: str = Field("", description="Comma-separated IPs/CIDRs whose X-Forwarded-For is believed")
    secret_key: SecretStr | None = Field(None, description="Pepper for key hashes and client session signing")
    session_idle_minutes: int = Field(480, ge=1, description="A session key unused this long expires")

    @field_validator("data_dir", mode="after")
    @classmethod
    def _absolute_data_dir(cls, value: Path) -> Path:
        return absolute(value)

    @property
    def max_upload_bytes(self) -> int:
        """The upload size limit in bytes."""
        return self.max_upload_size_mb * 1024 * 1024

    @cached_property
    def trusted_proxy_networks(self) -> list[Any]:
        """Parsed TRUSTED_PROXIES."""
        return [ip_network(part.strip(), strict=False) for part in self.trusted_proxies.split(",") if part.strip()]

    @cached_property
    def pepper(self) -> bytes:
        """The secret key as bytes: from SECRET_KEY, else generated once into DATA_DIR."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value().encode()
        return load_or_create_secret(self.data_dir).encode()


def absolute(value: Path) -> Path:
    """A configured path made absolute: relative ones resolve against the directory tmf starts in, where its .env lives."""
    return (Path.cwd() / value).resolve()


def load_or_create_secret(data_dir: Path) -> str:
    """Read the generated secret from the data folder, creating it owner-only on first use."""
    path = data_dir / SECRET_FILE_NAME
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    # Written under a private name, then linked into place: a process racing us (several
    # workers starting at once) either wins the link or reads the complete winner.
    tmp = data_dir / f".{SECRET_FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_urlsafe(48).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text().strip()
