"""Whether an evidence file is accepted (plain data, no Django): PDF, DOCX, XLSX, PNG or JPEG,
by its name *and* its content, and by size.

The content is checked, not only the extension: a PDF starts "%PDF-", a PNG and a JPEG with
their signatures, and a DOCX or XLSX is a ZIP holding [Content_Types].xml and its main part
(word/document.xml or xl/workbook.xml). Anything else is refused with a reason the uploader can
read. Accepted files are served back only as downloads, typed by this list, never by the
uploader's word (views.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"

#: extension -> the content type it is served as
ACCEPTED = {"pdf": PDF, "docx": DOCX, "xlsx": XLSX, "png": PNG, "jpg": JPEG, "jpeg": JPEG}
ACCEPTED_IN_WORDS = "PDF, DOCX, XLSX, PNG or JPEG"
MAX_FILENAME = 200
_OFFICE_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class FileCheck:
    filename: str
    size: int
    content_type: str  # empty when refused
    refused_because: str  # empty when accepted

    @property
    def accepted(self) -> bool:
        return not self.refused_because


def safe_filename(name: str) -> str:
    """No path, no control characters, at most MAX_FILENAME characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().strip(".")
    return name[-MAX_FILENAME:] or "evidence"


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _is_office(data: bytes, ext: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and _OFFICE_PART[ext] in names


def content_matches(data: bytes, ext: str) -> bool:
    if ext == "pdf":
        return data.startswith(b"%PDF-")
    if ext == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if ext in _OFFICE_PART:
        return _is_office(data, ext)
    return False


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_file(filename: str, data: bytes, *, max_bytes: int) -> FileCheck:
    """Accepted, or refused: by type, then content, then size (and an empty file)."""
    name, size = safe_filename(filename), len(data)
    ext = extension(name)

    def refused(reason: str) -> FileCheck:
        return FileCheck(name, size, "", reason)

    if ext not in ACCEPTED:
        return refused(f"A .{ext} file is not accepted: upload a {ACCEPTED_IN_WORDS} file"
                       if ext else f"The file has no extension: upload a {ACCEPTED_IN_WORDS} "
                       "file")
    if size == 0:
        return refused("The file is empty")
    if size > max_bytes:
        return refused(f"The file is {megabytes(size)}: the limit is {megabytes(max_bytes)}")
    if not content_matches(data, ext):
        return refused(f"The file is named .{ext} but its content is not a {ext.upper()} file")
    return FileCheck(name, size, ACCEPTED[ext], "")
