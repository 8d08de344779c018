"""Replies by email as plain data (cradle.foi.inbound): addresses, parsing and file limits."""

from email.message import EmailMessage

import pytest

from cradle.foi import inbound
from cradle.foi.inbound import IncomingFile, Limits

LOCAL, DOMAIN = "foi", "replies.example.org"
PDF = b"%PDF-1.7\n..."
LIMITS = Limits(attachment_bytes=100, message_bytes=150)


def test_a_new_token_is_random_lower_case_base32_and_makes_an_address():
    tokens = {inbound.new_reply_token() for _ in range(50)}
    assert len(tokens) == 50
    token = tokens.pop()
    assert len(token) == 16 and token == token.lower()
    assert inbound.reply_address(token, local=LOCAL, domain=DOMAIN) == \
        f"foi+{token}@replies.example.org"


@pytest.mark.parametrize(("addresses", "expected"), [
    (["foi+abcdefghijklmnop@replies.example.org"], "abcdefghijklmnop"),
    (["FOI Team <FOI+ABCDEFGHIJKLMNOP@Replies.Example.org>"], "abcdefghijklmnop"),
    (["someone@else.org, foi+abcdefghijklmnop@replies.example.org"], "abcdefghijklmnop"),
    (["foi@replies.example.org"], None),
    (["foi+abcdefghijklmnop@other.example.org"], None),
    (["foi+short@replies.example.org"], None),
    (["xfoi+abcdefghijklmnop@replies.example.org"], None),
    (["foi+abcdefghijklmnop@replies.example.org.evil.org"], None),
    ([], None),
])
def test_the_token_is_found_only_in_a_reply_address(addresses, expected):
    assert inbound.reply_token_in(addresses, local=LOCAL, domain=DOMAIN) == expected


def test_a_reference_in_the_subject_is_only_a_suggestion():
    assert inbound.reference_in_subject("RE: FOI request CRADLE-FOI-42 (CAMHS)") == 42
    assert inbound.reference_in_subject("Re: your request") is None


@pytest.mark.parametrize(("name", "data", "kept", "reason"), [
    ("answer.pdf", PDF, True, ""),
    ("answer.PDF", PDF, True, ""),
    ("figures.csv", b"a,b\n1,2\n", True, ""),
    ("figures.xlsx", b"PK\x03\x04rest", True, ""),
    ("photo.jpeg", b"\xff\xd8\xff\xe0", True, ""),
    ("run.exe", b"MZ", False, "a .exe file is not accepted"),
    ("noextension", b"x", False, "a file without an extension is not accepted"),
    ("fake.pdf", b"MZ\x90\x00", False, "its content is not a PDF file"),
    ("binary.txt", b"a\x00b", False, "its content is not a TXT file"),
    ("big.pdf", PDF + b"x" * 100, False, "over the limit of 0.0 MB for one attachment"),
])
def test_attachments_are_kept_by_type_content_and_size(name, data, kept, reason):
    check = inbound.check_attachment(IncomingFile(name, "application/octet-stream", data),
                                     LIMITS, room_left=LIMITS.message_bytes)
    assert check.kept is kept
    assert reason in check.refused_because
    assert check.size == len(data)


def test_a_kept_file_is_typed_by_the_allow_list_not_the_sender():
    check = inbound.check_attachment(IncomingFile("a.pdf", "text/html", PDF), LIMITS,
                                     room_left=150)
    assert check.content_type == "application/pdf"


def test_the_message_allowance_refuses_the_files_after_it_is_used_up():
    files = [IncomingFile(f"{n}.txt", "text/plain", b"x" * 60) for n in range(3)]
    checks = inbound.check_attachments(files, LIMITS)
    assert [c.kept for c in checks] == [True, True, False]
    assert "together are over the limit" in checks[2].refused_because


def test_file_names_lose_paths_and_control_characters():
    assert inbound.safe_filename("../../etc/passwd") == "passwd"
    assert inbound.safe_filename("C:\\Users\\a\\answer\x07.pdf") == "answer.pdf"
    assert inbound.safe_filename("") == "attachment"


def test_html_becomes_text_without_scripts_or_styles():
    text = inbound.html_to_text("<html><head><style>p{}</style></head><body><p>Dear "
                                "Cradle,</p><script>alert(1)</script><p>We hold 3 &amp; 4."
                                "</p></body></html>")
    assert text == "Dear Cradle,\n\nWe hold 3 & 4."


def _message(**headers) -> EmailMessage:
    message = EmailMessage()
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    return message


def test_a_message_is_parsed_into_its_text_recipients_and_files():
    message = _message(From="FOI Team <foi@trust.example.org>", To="foi+abc@x.org",
                       Subject="RE: CRADLE-FOI-7", Message_ID="<m1@trust.example.org>",
                       Date="Tue, 03 Nov 2026 10:00:00 +0000", Delivered_To="d@x.org")
    message.set_content("Please find our answer attached.")
    message.add_alternative("<p>Please find <b>our</b> answer attached.</p>", subtype="html")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="answer.pdf")
    parsed = inbound.parse_message(message.as_bytes(), ["rcpt@x.org"])
    assert parsed.message_id == "<m1@trust.example.org>"
    assert parsed.from_address == "foi@trust.example.org"
    assert parsed.subject == "RE: CRADLE-FOI-7"
    assert parsed.text == "Please find our answer attached."
    assert not parsed.html_converted
    assert parsed.recipients[:2] == ["rcpt@x.org", "d@x.org"]
    assert [(f.filename, f.data) for f in parsed.files] == [("answer.pdf", PDF)]
    assert parsed.sent_at.isoformat() == "2026-11-03T10:00:00+00:00"


def test_an_html_only_message_is_kept_as_text_and_one_without_an_id_gets_a_stable_one():
    message = _message(From="a@b.org", Subject="Answer")
    message.set_content("<p>We do <i>not</i> hold this.</p>", subtype="html")
    raw = message.as_bytes()
    parsed = inbound.parse_message(raw)
    assert parsed.text == "We do not hold this." and parsed.html_converted
    assert parsed.message_id.startswith("<sha256-")
    assert inbound.parse_message(raw).message_id == parsed.message_id
