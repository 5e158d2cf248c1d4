"""Settings: every knob is a `PARLEY_*` environment variable or a key of `parley.toml`."""

from __future__ import annotations

import ipaddress
import json
import os
import socket
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _url_list(value: object) -> object:
    """One URL, several separated by commas, or a JSON list (as an env var or in TOML)."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [u.strip() for u in text.split(",") if u.strip()]
    return value


UrlList = Annotated[list[str], NoDecode, BeforeValidator(_url_list)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PARLEY_",
        toml_file=os.environ.get("PARLEY_CONFIG", "parley.toml"),
        extra="forbid",
    )

    data_dir: Path = Field(Path("data"), description="Where the embedded database lives.")
    database_url: str = Field(
        "", description="SQLAlchemy URL; empty means SQLite at <data_dir>/parley.db."
    )
    sqlite_synchronous: Literal["normal", "full"] = Field(
        "normal",
        description="SQLite durability: `normal` survives a killed process, `full` power loss too.",
    )
    # 10 (+10 overflow) let a login storm wait past the pool timeout (503 overloaded for
    # a quarter of 2,000 clients, bench/README.md); 20 held it with none.
    db_pool_size: int = Field(20, ge=1, le=200, description="PostgreSQL connection pool size.")
    broker_url: str = Field(
        "memory://", description="`memory://` for one node, `redis://host:6379/0` for several."
    )
    host: str = Field("127.0.0.1", description="Address `parley serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `parley serve` listens on.")
    web_dist: Path = Field(
        Path("web/dist"), description="The built web client served at / (when present)."
    )
    node_id: str = Field(
        "", description="Name of this node in logs and presence; default host-pid."
    )
    auto_migrate: bool = Field(True, description="`parley serve` applies migrations on start.")
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    self_registration: bool = Field(False, description="Anyone may create an account.")
    token_ttl_hours: int = Field(720, ge=1, description="How long a login session lasts.")
    cookie_secure: bool = Field(False, description="Mark the session cookie Secure (behind TLS).")
    login_slow_after: int = Field(
        3, ge=1, description="Failed logins of one account from one address before back-off."
    )
    login_lock_after: int = Field(
        10, ge=2, description="Failed logins of one account from one address that lock them out."
    )
    login_lock_seconds: int = Field(
        900, ge=1, description="How long an account stays locked for that address."
    )
    login_source_limit: int = Field(
        100, ge=1, description="Failed logins from one address (IPv6: its /64) per window."
    )
    login_source_window_seconds: int = Field(
        900, ge=1, description="The window of PARLEY_LOGIN_SOURCE_LIMIT."
    )
    login_account_ceiling: int = Field(
        100, ge=2, description="Failed logins of one account from all addresses per window."
    )
    login_account_window_seconds: int = Field(
        3600, ge=1, description="The window of PARLEY_LOGIN_ACCOUNT_CEILING."
    )
    hash_workers: int = Field(
        0, ge=0, description="Threads hashing passwords; 0: half the cores, at least one."
    )
    hash_queue: int = Field(
        16, ge=0, description="Logins waiting for a hashing thread before 503 overloaded."
    )
    hash_per_source: int = Field(
        4, ge=1, description="Running and waiting logins one client address may have."
    )
    argon2_time_cost: int = Field(3, ge=1)
    argon2_memory_kib: int = Field(65536, ge=1024)

    max_body_bytes: int = Field(1_048_576, ge=1024, description="Largest accepted request body.")
    max_message_chars: int = Field(10_000, ge=1, description="Longest message text.")
    all_mention_role: Literal["admin", "member"] = Field(
        "admin", description="Lowest group role allowed to @all."
    )
    edit_window_seconds: int = Field(86_400, ge=0, description="How long a message stays editable.")
    recall_window_seconds: int = Field(
        120, ge=0, description="How long a sender may recall (撤回) their message."
    )
    max_pins: int = Field(50, ge=1, description="Pinned messages per conversation.")
    page_max: int = Field(200, ge=1, description="Hard maximum of any list page.")
    rendered_entries: int = Field(
        100_000,
        ge=0,
        description="Log entries each node keeps rendered for sync (about 1 KB each; 0: off).",
    )

    storage_url: str = Field(
        "",
        description="Where files live: empty for <data_dir>/files, `file:///path`, or "
        "`s3://bucket?endpoint=http://host:9000&region=us-east-1&prefix=parley/` "
        "(credentials from the usual AWS variables, or `s3://KEY:SECRET@bucket`).",
    )
    max_upload_bytes: int = Field(
        209_715_200, ge=1, description="Largest file one upload may carry (413 beyond)."
    )
    upload_quota_bytes: int = Field(
        10 * 1024**3, ge=0, description="Bytes of files one user may upload in all; 0: no limit."
    )
    max_image_pixels: int = Field(
        64_000_000, ge=1, description="Larger images are not decoded (decompression bombs)."
    )
    preview_wait_seconds: float = Field(
        5.0, ge=0, description="How long a request waits for a preview being made (then 202)."
    )
    preview_text_bytes: int = Field(
        262_144, ge=1024, description="How much of a text or code file its preview shows."
    )
    preview_pages: int = Field(5, ge=1, le=50, description="PDF/Office pages rendered as preview.")
    office_converter: str = Field(
        "soffice",
        description="LibreOffice command for Office previews; empty turns them off "
        "(such files are then offered for download only).",
    )

    ws_heartbeat_seconds: float = Field(25.0, gt=0, description="Server ping interval.")
    ws_send_queue: int = Field(
        1024, ge=1, description="Frames queued per socket before it is dropped."
    )
    ws_max_frame_bytes: int = Field(65_536, ge=1024, description="Largest accepted client frame.")
    typing_interval_seconds: float = Field(2.0, ge=0, description="Min gap between typing events.")

    api_docs: bool = Field(
        True, description="Serve the interactive API docs (Swagger UI) at /api/docs."
    )
    call_ring_seconds: float = Field(
        45.0, gt=0, le=600, description="How long a call rings before it counts as missed."
    )
    call_stun_urls: list[str] = Field(
        default_factory=list, description="STUN URLs handed to browsers, e.g. stun:turn.example.com"
    )
    call_turn_urls: list[str] = Field(
        default_factory=list, description="TURN URLs, e.g. turn:turn.example.com:3478?transport=udp"
    )
    call_turn_secret: str = Field(
        "",
        repr=False,
        description="Shared secret with the TURN server (coturn static-auth-secret).",
    )
    call_turn_ttl_seconds: int = Field(
        3600, ge=60, le=86400, description="Lifetime of the TURN credentials handed out."
    )
    # Parsers and validators recurse per level; far below Python's stack, far above the API.
    max_json_depth: int = Field(
        32, ge=4, le=200, description="Deepest nesting of a JSON body or frame (400 beyond)."
    )
    call_relay_only: bool = Field(
        False,
        description="Browsers send call media only through the TURN server (relay candidates).",
    )
    janus_url: UrlList = Field(
        default_factory=list,
        description="Janus HTTP API URLs Parley manages group-call rooms on, comma-separated "
        "or a JSON list, e.g. http://janus1:8088/janus; each room is placed on one of them.",
    )
    janus_public_url: UrlList = Field(
        default_factory=list,
        description="The same Janus servers as browsers reach them (same order); "
        "empty: browsers use janus_urls.",
    )
    janus_admin_key: str = Field(
        "", repr=False, description="The VideoRoom plugin's admin_key (to create rooms)."
    )
    janus_token_seconds: float = Field(
        30.0, gt=0, le=600, description="Withdraw a Janus token never used after this long."
    )

    # Security edge (docs/security.md): TLS, headers, password policy, upload scanning.
    tls_cert: Path | None = Field(
        None, description="PEM certificate (chain) file: `parley serve` speaks HTTPS and WSS."
    )
    tls_key: Path | None = Field(None, description="PEM private key of PARLEY_TLS_CERT.")
    hsts_max_age: int = Field(
        31_536_000, ge=0, description="Strict-Transport-Security max-age over HTTPS; 0: not sent."
    )
    frame_ancestors: str = Field(
        "'none'", description="CSP frame-ancestors of the client: who may embed it in a frame."
    )
    password_min_length: int = Field(10, ge=6, le=128, description="Shortest password accepted.")
    password_min_score: int = Field(
        3, ge=0, le=4, description="Lowest zxcvbn strength estimate (0-4) a password may have."
    )
    password_expiry_days: int = Field(
        0, ge=0, description="Days after which a password must be changed at login; 0: never."
    )
    password_history: int = Field(
        0, ge=0, le=24, description="A new password may not be any of the last N; 0: off."
    )
    clamd: str = Field(
        "", description="clamd to scan every upload with: `tcp://host:3310` or `unix:///path`."
    )
    clamd_fail_open: bool = Field(
        False, description="Accept uploads unscanned while clamd is down (default: refuse them)."
    )
    clamd_timeout_seconds: float = Field(30.0, gt=0, description="Longest wait for one scan.")
    admin_allowed_networks: list[str] = Field(
        default_factory=list,
        description="Address ranges (CIDR) administrators may act from; empty: anywhere.",
    )

    @model_validator(mode="after")
    def _defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / 'parley.db'}"
        if not self.node_id:
            self.node_id = f"{socket.gethostname()}-{os.getpid()}"
        if self.login_lock_after <= self.login_slow_after:
            raise ValueError("login_lock_after must be greater than login_slow_after")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("set both tls_cert and tls_key, or neither")
        if self.clamd and not self.clamd.startswith(("tcp://", "unix://")):
            raise ValueError("clamd must be tcp://host:port or unix:///path")
        for network in self.admin_allowed_networks:
            ipaddress.ip_network(network, strict=False)  # ValueError names the bad one
        if self.tls_cert is not None:
            self.cookie_secure = True  # the cookie never travels in clear beside HTTPS
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
