"""Settings from the environment or a .env file, validated before anything starts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    NoDecode,
    SettingsConfigDict,
)

Language = Literal["en", "km"]
LANGUAGES: tuple[Language, ...] = ("km", "en")

IdList = Annotated[frozenset[int], NoDecode]
# A day, or the first and last day of an event: "2026-05-12" or "2026-05-12/2026-05-20".
DateRange = tuple[date, date]
# The constraints most settings share: a count of at least one, a time above zero, a port.
Count = Annotated[int, Field(ge=1)]
Span = Annotated[float, Field(gt=0)]
Port = Annotated[int, Field(ge=1, le=65535)]


class Settings(BaseSettings):
    """Every setting the bot reads. Names are the environment variables' names."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        # Each setting's description is the docstring under it (`settings` and the README).
        use_attribute_docstrings=True,
    )

    bot_token: SecretStr
    """Bot token from @BotFather"""
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    """Bot API base URL (a local Bot API server)"""
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    """Bot API file download base URL"""
    moderation_chat_id: int | None = None
    """Moderators' group chat id"""
    moderator_ids: IdList = frozenset()
    """Moderators' Telegram user ids, comma-separated"""
    admin_ids: IdList = frozenset()
    """Admins' Telegram user ids, comma-separated"""
    database_path: Path = Path("data/bot.sqlite3")
    """SQLite database file"""
    default_language: Language = "km"
    """Language for people whose app is neither Khmer nor English"""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    """Log level"""
    webhook_url: str | None = None
    """Public HTTPS URL for webhook mode"""
    webhook_secret: SecretStr | None = None
    """Secret token Telegram sends with each webhook call"""
    webhook_listen: str = "0.0.0.0"
    """Address the webhook server listens on"""
    webhook_port: Port = 8080
    """Port the webhook server listens on"""
    obr_url: str | None = None
    """Online Business Registration address shown in answers"""
    contact_email: str | None = None
    """The team's public e-mail shown in answers"""
    article_url: str | None = None
    """Address of the article the answers' Source line names"""
    consultation_dates: Annotated[DateRange | None, NoDecode] = None
    """Dates of the stakeholder consultations (YYYY-MM-DD[/YYYY-MM-DD])"""
    workshop_date: Annotated[DateRange | None, NoDecode] = None
    """Date of the national workshop (YYYY-MM-DD[/YYYY-MM-DD])"""
    moderation_language: Language = "en"
    """Language of the cards and replies in the moderators' group"""
    # Limits: people's pace, Telegram's pace, the bot's own work.
    submission_limit: Count = Field(5, le=1000)
    """Submissions one person may send per window"""
    submission_window_seconds: Count = 600
    """The window of SUBMISSION_LIMIT, in seconds"""
    flood_limit: Count = 20
    """Updates one person may send per FLOOD_WINDOW_SECONDS"""
    flood_window_seconds: Span = 10.0
    """The window of FLOOD_LIMIT"""
    group_messages_per_minute: Count = Field(20, le=600)
    """Messages a minute the bot sends to one group (Telegram: 20)"""
    messages_per_second: int = Field(30, ge=10, le=1000)
    """Messages a second the bot sends overall (Telegram: ~30)"""
    inbox_retention_days: Span = 7
    """Days a handled update's record is kept (for deduplication)"""
    outbox_retention_days: Span = 7
    """Days a sent message's record and text are kept"""
    inbox_workers: Count = Field(8, le=64)
    """Updates handled at once (one chat at a time)"""
    # Operating it (README: Operating it)
    health_port: Port | None = None
    """Port for GET /healthz and /metrics (off when unset)"""
    health_listen: str = "127.0.0.1"
    """Address the health listener binds"""
    metrics_token: SecretStr | None = None
    """If set, /metrics wants 'Authorization: Bearer <token>'"""
    health_max_pending_seconds: Span = 300
    """Unhealthy when an update waits longer than this"""
    health_max_outbox_seconds: Span = 900
    """Unhealthy when a due message waits longer than this"""
    health_max_telegram_silence_seconds: Span = 300
    """Unhealthy when calls to Telegram fail for longer than this"""
    shutdown_timeout_seconds: Span = Field(8, le=600)
    """On SIGTERM, how long updates in hand may take to finish"""
    draft_retention_days: Count = Field(30, le=3650)
    """Unfinished forms are deleted after this many days"""
    announce_rate: Count = Field(25, le=30)
    """Announcement messages a second, overall (Telegram: 30)"""
    announce_progress_seconds: float = Field(5.0, ge=1)
    """How often an announcement's progress message is updated"""

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value()
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or len(secret) < 5 or any(c.isspace() for c in token):
            raise ValueError("does not look like a bot token (digits:secret)")
        return value

    @field_validator("moderator_ids", "admin_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            for part in parts:
                if not part.lstrip("-").isdigit():
                    raise ValueError(f"{part!r} is not a Telegram user id")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("consultation_dates", "workshop_date", mode="before")
    @classmethod
    def _date_range(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        try:
            days = [date.fromisoformat(part.strip()) for part in value.split("/")]
        except ValueError:
            raise ValueError("must be YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD") from None
        if len(days) > 2 or days[0] > days[-1]:
            raise ValueError("must be YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD, first day first")
        return (days[0], days[-1])

    @field_validator(
        "telegram_api_base_url", "telegram_file_base_url", "webhook_url", "obr_url", "article_url"
    )
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @property
    def staff_ids(self) -> frozenset[int]:
        return self.moderator_ids | self.admin_ids

    def is_moderator(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.staff_ids

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None


# Commands that only touch the database (migrate, backup, faq report) run without a token.
_NO_TOKEN = "0:not-needed-by-this-command"


def load_settings_without_token(**overrides: object) -> Settings:
    """Every setting but BOT_TOKEN checked; for commands that never call Telegram."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        if any(error["loc"][:1] != ("bot_token",) for error in exc.errors()):
            raise SettingsError(describe(exc, skip="bot_token")) from None
    return Settings(**{**overrides, "bot_token": _NO_TOKEN})  # type: ignore[arg-type]


def describe(exc: ValidationError, skip: str | None = None) -> str:
    """One line naming the first bad setting by its environment variable."""
    return describe_all(exc, skip)[0]


def describe_all(exc: ValidationError, skip: str | None = None) -> list[str]:
    """One line per bad setting, each naming it by its environment variable."""
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "settings"
        if field == skip:
            continue
        if error["type"] == "missing":
            lines.append(f"{field.upper()} is not set")
        else:
            lines.append(f"{field.upper()}: {str(error['msg']).removeprefix('Value error, ')}")
    return lines


def problems() -> list[str]:
    """Everything wrong with the settings as given, one line each (empty: all good)."""
    try:
        settings = Settings()  # type: ignore[call-arg]
    except ValidationError as exc:
        return describe_all(exc)
    if (settings.webhook_url is None) != (settings.webhook_secret is None):
        return ["webhook mode needs both WEBHOOK_URL and WEBHOOK_SECRET"]
    return []


def listing() -> list[tuple[str, str, str]]:
    """(name, value as given with secrets masked, where it came from) for every setting."""
    given_in_file = DotEnvSettingsSource(Settings)()
    given_in_env = EnvSettingsSource(Settings)()
    rows = []
    for name, field in Settings.model_fields.items():
        secret = field.annotation in (SecretStr, SecretStr | None)
        if name in given_in_env or name in given_in_file:
            raw = str(given_in_env.get(name, given_in_file.get(name)))
            value = f"<hidden, {len(raw)} characters>" if secret and raw else raw
            origin = "environment" if name in given_in_env else ".env"
        elif field.is_required():
            value, origin = "-", "not set"
        else:
            default = field.default
            value = "empty" if isinstance(default, frozenset) else str(default)
            value = "-" if default is None else value
            origin = "default"
        rows.append((name.upper(), value, origin))
    return rows


def settings_help() -> str:
    lines = []
    for name, field in Settings.model_fields.items():
        default = "required" if field.is_required() else f"default {field.default!s}"
        if isinstance(field.default, frozenset):
            default = "default empty"
        lines.append(f"  {name.upper():<24} {field.description} ({default})")
    return "\n".join(lines)
