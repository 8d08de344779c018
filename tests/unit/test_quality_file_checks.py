"""Evidence files are accepted by name and content, and refused by type, content and size."""

import io
import zipfile

import pytest

from cradle.quality import file_checks as fc

LIMIT = 1000


def office(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return buffer.getvalue()


ACCEPTED = [
    ("policy.pdf", b"%PDF-1.7\n...", fc.PDF),
    ("plan.docx", office("word/document.xml"), fc.DOCX),
    ("audit.xlsx", office("xl/workbook.xml"), fc.XLSX),
    ("chart.png", b"\x89PNG\r\n\x1a\n....", fc.PNG),
    ("photo.JPG", b"\xff\xd8\xff\xe0....", fc.JPEG),
    ("photo.jpeg", b"\xff\xd8\xff\xe0....", fc.JPEG),
]


@pytest.mark.parametrize(("name", "data", "content_type"), ACCEPTED)
def test_accepted(name, data, content_type):
    check = fc.check_file(name, data, max_bytes=LIMIT)
    assert check.accepted and check.content_type == content_type


REFUSED = [
    ("notes.txt", b"hello", "A .txt file is not accepted"),
    ("macro.docm", office("word/document.xml"), "A .docm file is not accepted"),
    ("page.html", b"<html>", "A .html file is not accepted"),
    ("noextension", b"%PDF-1.7", "The file has no extension"),
    ("fake.pdf", b"<html><script>", "its content is not a PDF file"),
    ("fake.png", b"%PDF-1.7", "its content is not a PNG file"),
    ("fake.docx", b"PK\x03\x04 not really a zip", "its content is not a DOCX file"),
    ("sheet.docx", office("xl/workbook.xml"), "its content is not a DOCX file"),
    ("doc.xlsx", office("word/document.xml"), "its content is not a XLSX file"),
    ("empty.pdf", b"", "The file is empty"),
    ("big.pdf", b"%PDF-" + b"x" * LIMIT, "the limit is"),
]


@pytest.mark.parametrize(("name", "data", "reason"), REFUSED)
def test_refused(name, data, reason):
    check = fc.check_file(name, data, max_bytes=LIMIT)
    assert not check.accepted and reason in check.refused_because and not check.content_type


def test_file_names_lose_paths_and_control_characters():
    assert fc.safe_filename("../../etc/passwd.pdf") == "passwd.pdf"
    assert fc.safe_filename("C:\\Users\\x\\plan\x00.pdf") == "plan.pdf"
    assert fc.safe_filename("") == "evidence"
