"""What a contribution may carry: judged by Telegram's file name, MIME type and size."""

from __future__ import annotations

import pytest

from bot.contributions.rules import MAX_FILE_BYTES, document_refusal, size_refusal


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("strategy.pdf", "application/pdf"),
        (
            "Comments.DOCX",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "slides.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("notes.txt", "text/plain"),
        ("data.csv", "text/csv"),
        ("old.doc", None),  # some clients send no type: the name decides
        ("scan.pdf", "application/octet-stream"),
        ("យោបល់.pdf", "application/pdf"),
    ],
)
def test_documents_people_send_are_accepted(name: str, mime: str | None) -> None:
    assert document_refusal(name, mime, 1000) is None


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("setup.exe", "application/x-msdownload"),
        ("virus.pdf.exe", "application/pdf"),
        ("report.pdf", "application/x-msdownload"),  # the type contradicts the name
        ("archive.zip", "application/zip"),
        ("no_extension", "application/pdf"),
        (None, "application/pdf"),
    ],
)
def test_other_files_are_refused_by_name(name: str | None, mime: str) -> None:
    refusal = document_refusal(name, mime, 1000)
    assert refusal is not None and refusal.key == "ctb-file-type"


def test_size_limit_is_20_mb() -> None:
    assert size_refusal(MAX_FILE_BYTES) is None
    refusal = size_refusal(MAX_FILE_BYTES + 1)
    assert refusal is not None and refusal.key == "ctb-file-too-big"
    assert document_refusal("big.pdf", "application/pdf", MAX_FILE_BYTES + 1) == refusal
