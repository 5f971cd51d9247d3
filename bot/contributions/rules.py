"""What a contribution may contain, judged by what Telegram tells (never by opening a file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from telegram import Document, Message, PhotoSize, Voice

from bot import safe_text
from storage.registrations import INTERESTS
from storage.submissions import Attachment

# Topics a contribution can be about: the strategy as a whole, the areas of interest people
# choose when registering, and e-services.
TOPICS = ("strategy", *INTERESTS, "eservices")
# The form's conversation name: its stored state, and what housekeeping drops unfinished.
FORM = "contribution"


def topic_label_key(topic: str) -> str:
    """The areas share their labels with the registration form; the two others have their own."""
    return f"reg-interest-{topic}" if topic in INTERESTS else f"topic-{topic}"


MAX_TEXT_CHARS = 3000
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10
MAX_NAME_SHOWN = 100

# Documents people send about a strategy: PDF, Word, spreadsheets, presentations, text.
ALLOWED_DOCUMENTS = {
    ".pdf": {"application/pdf"},
    ".doc": {"application/msword"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ".odt": {"application/vnd.oasis.opendocument.text"},
    ".rtf": {"application/rtf", "text/rtf"},
    ".txt": {"text/plain"},
    ".xls": {"application/vnd.ms-excel"},
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    ".ods": {"application/vnd.oasis.opendocument.spreadsheet"},
    ".csv": {"text/csv", "text/plain"},
    ".ppt": {"application/vnd.ms-powerpoint"},
    ".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    ".odp": {"application/vnd.oasis.opendocument.presentation"},
}
# Some clients send no type, or a generic one; the name's ending then decides.
GENERIC_MIME = {None, "", "application/octet-stream"}


@dataclass(frozen=True)
class Refusal:
    """Why an attachment is refused: a locale key and its arguments."""

    key: str
    args: dict[str, object]


def document_refusal(
    file_name: str | None, mime_type: str | None, size: int | None
) -> Refusal | None:
    suffix = PurePosixPath(file_name or "").suffix.lower()
    allowed = ALLOWED_DOCUMENTS.get(suffix)
    if allowed is None or (mime_type not in GENERIC_MIME and mime_type not in allowed):
        # The name is shown back in an HTML message: escaped, clean, and short.
        name = safe_text.shown_name(safe_text.clip(file_name or "?", MAX_NAME_SHOWN))
        return Refusal("ctb-file-type", {"name": name})
    return size_refusal(size)


def size_refusal(size: int | None) -> Refusal | None:
    if size is not None and size > MAX_FILE_BYTES:
        return Refusal("ctb-file-too-big", {"size_mb": round(size / 1_048_576, 1), "limit_mb": 20})
    return None


def attachment_of(message: Message) -> Attachment | Refusal | None:
    """The attachment a message carries, a reason to refuse it, or None if it has none."""
    media: Document | PhotoSize | Voice
    if message.document is not None:
        media, kind = message.document, "document"
        name, mime = safe_text.clean(media.file_name or "") or None, media.mime_type
        refusal = document_refusal(name, mime, media.file_size)
    elif message.photo:
        media, kind, name, mime = message.photo[-1], "photo", None, "image/jpeg"
        refusal = size_refusal(media.file_size)
    elif message.voice is not None:
        media, kind, name = message.voice, "voice", None
        mime = media.mime_type
        refusal = size_refusal(media.file_size)
    else:
        return None
    if refusal is not None:
        return refusal
    return Attachment(
        kind=kind,
        file_id=media.file_id,
        file_unique_id=media.file_unique_id,
        source_chat_id=message.chat.id,
        source_message_id=message.message_id,
        file_name=name,
        mime_type=mime,
        file_size=media.file_size,
        media_group_id=message.media_group_id,
    )
