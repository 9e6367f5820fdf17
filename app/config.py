"""Every setting of the service, read once from the environment (prefix ``KB_``) or ``.env``."""

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("var") / "kb.sqlite3"


class Settings(BaseSettings):
    """The service's configuration; see the README's Configuration section."""

    model_config = SettingsConfigDict(env_prefix="KB_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        validation_alias=AliasChoices("DATABASE_URL", "KB_DATABASE_URL"),
        description="SQLAlchemy URL; a SQLite file by default, postgresql://… in production.",
    )
    sqlite_busy_timeout_ms: int = Field(default=15000, ge=0)
    sqlite_mmap_mb: int = Field(
        default=1024, ge=0, description="SQLite reads the file through a memory map this large."
    )
    database_pool_size: int = Field(default=5, ge=1)
    worker_threads: int = Field(
        default=2,  # the reads' work is Python, one thread at a time (README, Configuration)
        ge=1,
        le=1000,
        description="Threads per process for the reads' blocking work (queries).",
    )
    write_threads: int = Field(
        default=4,  # writes mostly wait for locks (README, Configuration)
        ge=1,
        le=1000,
        description="Threads per process for the writes' blocking work, apart from the reads'.",
    )
    database_echo: bool = False
    cors_allow_origins: list[str] = Field(default_factory=lambda: ["*"])
    default_page_size: int = Field(default=50, ge=1)
    max_page_size: int = Field(default=200, ge=1)
    require_key_for_reads: bool = Field(
        default=False, description="Reads need a key with the read scope (public by default)."
    )
    max_body_bytes: int = Field(default=1_000_000, ge=1, description="Largest request body.")
    max_json_depth: int = Field(default=32, ge=2, description="Deepest JSON nesting accepted.")
    request_timeout_seconds: float = Field(default=30, gt=0)
    rate_limit_per_minute: int = Field(default=1200, ge=1, description="Per client address.")
    rate_limit_burst: int = Field(default=200, ge=1)
    key_rate_limit_per_minute: int = Field(default=3000, ge=1, description="Per API key.")
    key_rate_limit_burst: int = Field(default=300, ge=1)
    response_cache: bool = Field(
        default=True, description="Keep GET responses until the data changes (app/cache.py)."
    )
    response_cache_entries: int = Field(default=5000, ge=1)
    network_max_depth: int = Field(default=3, ge=1, le=6)
    network_max_nodes: int = Field(
        default=150,
        ge=1,
        description="Most nodes in a network: about as many as a drawing shows legibly (the "
        "explorer's layout is quadratic in nodes); each costs rows read. Raise it for exports.",
    )
    network_max_edges: int = Field(
        default=400,
        ge=1,
        description="Most edges in a network: room for the ties among the nodes of dense "
        "neighbourhoods, while keeping a response to a few hundred KB.",
    )
    seed_on_empty: bool = Field(
        default=True, description="`kb serve` loads the seed article into an empty database."
    )
    public_base_url: str | None = Field(
        default=None, description="Absolute base URL used in Link headers behind a proxy."
    )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
