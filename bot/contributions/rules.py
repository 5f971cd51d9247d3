"""What a contribution may contain, judged by what Telegram tells (never by opening a file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from telegram import Message

from storage.registrations import INTERESTS
from storage.submissions import Attachment

# Topics a contribution can be about: the strategy as a whole, the areas of interest people
# choose when registering, and e-services.
TOPICS = ("strategy", *INTERESTS, "eservices")


def topic_label_key(topic: str) -> str:
    """The areas share their labels with the registration form; the two others have their own."""
    return f"reg-interest-{topic}" if topic in INTERESTS else f"topic-{topic}"


MAX_TEXT_CHARS = 3000
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10

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
        return Refusal("ctb-file-type", {"name": file_name or "?"})
    return size_refusal(size)


def size_refusal(size: int | None) -> Refusal | None:
    if size is not None and size > MAX_FILE_BYTES:
        return Refusal("ctb-file-too-big", {"size_mb": round(size / 1_048_576, 1), "limit_mb": 20})
    return None


def attachment_of(message: Message) -> Attachment | Refusal | None:
    """The attachment a message carries, a reason to refuse it, or None if it has none."""
    common = {
        "source_chat_id": message.chat.id,
        "source_message_id": message.message_id,
        "media_group_id": message.media_group_id,
    }
    if message.document is not None:
        doc = message.document
        refusal = document_refusal(doc.file_name, doc.mime_type, doc.file_size)
        if refusal is not None:
            return refusal
        return Attachment(
            kind="document",
            file_id=doc.file_id,
            file_unique_id=doc.file_unique_id,
            file_name=doc.file_name,
            mime_type=doc.mime_type,
            file_size=doc.file_size,
            **common,  # type: ignore[arg-type]
        )
    if message.photo:
        photo = message.photo[-1]
        refusal = size_refusal(photo.file_size)
        if refusal is not None:
            return refusal
        return Attachment(
            kind="photo",
            file_id=photo.file_id,
            file_unique_id=photo.file_unique_id,
            file_size=photo.file_size,
            mime_type="image/jpeg",
            **common,  # type: ignore[arg-type]
        )
    if message.voice is not None:
        voice = message.voice
        refusal = size_refusal(voice.file_size)
        if refusal is not None:
            return refusal
        return Attachment(
            kind="voice",
            file_id=voice.file_id,
            file_unique_id=voice.file_unique_id,
            file_size=voice.file_size,
            mime_type=voice.mime_type,
            **common,  # type: ignore[arg-type]
        )
    return None
