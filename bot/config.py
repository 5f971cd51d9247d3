"""Settings from the environment or a .env file, validated before anything starts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Language = Literal["en", "km"]
LANGUAGES: tuple[Language, ...] = ("km", "en")

IdList = Annotated[frozenset[int], NoDecode]


class Settings(BaseSettings):
    """Every setting the bot reads. Names are the environment variables' names."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr = Field(description="Bot token from @BotFather")
    telegram_api_base_url: str = Field(
        "https://api.telegram.org/bot", description="Bot API base URL (a local Bot API server)"
    )
    telegram_file_base_url: str = Field(
        "https://api.telegram.org/file/bot", description="Bot API file download base URL"
    )
    moderation_chat_id: int | None = Field(None, description="Moderators' group chat id")
    moderator_ids: IdList = Field(
        frozenset(), description="Moderators' Telegram user ids, comma-separated"
    )
    admin_ids: IdList = Field(frozenset(), description="Admins' Telegram user ids, comma-separated")
    database_path: Path = Field(Path("data/bot.sqlite3"), description="SQLite database file")
    default_language: Language = Field(
        "en", description="Language for people whose app is not Khmer"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Log level")
    webhook_url: str | None = Field(None, description="Public HTTPS URL for webhook mode")
    webhook_secret: SecretStr | None = Field(
        None, description="Secret token Telegram sends with each webhook call"
    )
    webhook_listen: str = Field("0.0.0.0", description="Address the webhook server listens on")
    webhook_port: int = Field(
        8080, ge=1, le=65535, description="Port the webhook server listens on"
    )
    obr_url: str | None = Field(
        None, description="Online Business Registration address shown in answers"
    )
    contact_email: str | None = Field(None, description="The team's public e-mail shown in answers")
    moderation_language: Language = Field(
        "en", description="Language of the cards and replies in the moderators' group"
    )
    submission_limit: int = Field(
        5, ge=1, le=1000, description="Submissions one person may send per window"
    )
    submission_window_seconds: int = Field(
        600, ge=1, description="The window of SUBMISSION_LIMIT, in seconds"
    )
    flood_limit: int = Field(
        20, ge=1, description="Updates one person may send per FLOOD_WINDOW_SECONDS"
    )
    flood_window_seconds: float = Field(10.0, gt=0, description="The window of FLOOD_LIMIT")
    group_messages_per_minute: int = Field(
        20, ge=1, le=600, description="Messages a minute the bot sends to one group (Telegram: 20)"
    )
    messages_per_second: int = Field(
        30, ge=10, le=1000, description="Messages a second the bot sends overall (Telegram: ~30)"
    )
    inbox_retention_days: float = Field(
        7, gt=0, description="Days a handled update's record is kept (for deduplication)"
    )
    outbox_retention_days: float = Field(
        7, gt=0, description="Days a sent message's record and text are kept"
    )
    inbox_workers: int = Field(
        8, ge=1, le=64, description="Updates handled at once (one chat at a time)"
    )

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

    @field_validator("telegram_api_base_url", "telegram_file_base_url", "webhook_url", "obr_url")
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


def describe(exc: ValidationError) -> str:
    """One line naming the first bad setting by its environment variable."""
    error = exc.errors()[0]
    name = str(error["loc"][0]).upper() if error["loc"] else "settings"
    if error["type"] == "missing":
        return f"{name} is not set"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{name}: {message}"


def settings_help() -> str:
    lines = []
    for name, field in Settings.model_fields.items():
        default = "required" if field.is_required() else f"default {field.default!s}"
        if isinstance(field.default, frozenset):
            default = "default empty"
        lines.append(f"  {name.upper():<24} {field.description} ({default})")
    return "\n".join(lines)
