"""Replies by email, as plain data (no Django): reply addresses, parsing and attachment limits.

A request's reply address is `<local>+<token>@<domain>` (ADR 0029). `reply_token_in` finds
the token among a message's recipients; `parse_message` reads a raw message with the standard
library's `email` package (policy=default) into a `ParsedReply`; `check_attachment` decides
whether an attachment is kept, by an allow-list of file types checked against the file's
first bytes, and by size.
"""

from __future__ import annotations

import base64
import datetime
import email
import email.utils
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from html.parser import HTMLParser

__all__ = ["ALLOWED_TYPES", "AttachmentCheck", "IncomingFile", "Limits", "ParsedReply",
           "check_attachment", "html_to_text", "new_reply_token", "parse_message",
           "reference_in_subject", "reply_address", "reply_token_in"]

# 80 random bits in lower-case base32: unguessable, and safe in a mailbox name that mail
# systems may fold to lower case.
TOKEN_BYTES = 10
TOKEN_PATTERN = "[a-z2-7]{16}"

# The headers a recipient may be named in, after the envelope's RCPT TO (most reliable first).
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")

# Kept kinds: extension -> (content type served, the bytes the file must start with, or None
# for text, which must decode as UTF-8 without NUL bytes).
ZIP = (b"PK\x03\x04",)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "csv": ("text/csv", None),
    "txt": ("text/plain", None),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
MAX_FILENAME = 200
REFERENCE = re.compile(r"\bCRADLE-FOI-([0-9]{1,12})\b", re.IGNORECASE)


def new_reply_token() -> str:
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode().lower()


def reply_address(token: str, *, local: str, domain: str) -> str:
    return f"{local}+{token}@{domain}"


def reply_token_in(addresses, *, local: str, domain: str) -> str | None:
    """The first reply token among `addresses` (plain addresses or header values), or None.

    Only `<local>+<token>@<domain>` counts: a token-shaped word anywhere else (a subject, a
    quoted letter) never matches a reply to a request.
    """
    pattern = re.compile(rf"{re.escape(local)}\+({TOKEN_PATTERN})@{re.escape(domain)}",
                         re.IGNORECASE)
    for value in addresses:
        for _name, address in email.utils.getaddresses([str(value)]):
            if match := pattern.fullmatch(address.strip()):
                return match.group(1).lower()
    return None


def reference_in_subject(subject: str) -> int | None:
    """The request id of a "CRADLE-FOI-123" reference in a subject: a suggestion for a person
    to confirm, never a match by itself (a subject is easy to copy or mistype)."""
    match = REFERENCE.search(subject or "")
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Limits:
    attachment_bytes: int
    message_bytes: int


@dataclass(frozen=True)
class IncomingFile:
    filename: str
    declared_type: str
    data: bytes


@dataclass(frozen=True)
class AttachmentCheck:
    filename: str
    size: int
    content_type: str  # the allow-list's type for a kept file, else the sender's declared one
    refused_because: str  # empty when the file is kept

    @property
    def kept(self) -> bool:
        return not self.refused_because


@dataclass
class ParsedReply:
    message_id: str
    from_address: str
    subject: str
    sent_at: datetime.datetime | None
    text: str
    recipients: list[str]
    files: list[IncomingFile] = field(default_factory=list)
    html_converted: bool = False


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def safe_filename(name: str) -> str:
    """A file name with no path and no control characters, of at most MAX_FILENAME."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().strip(".")
    return name[-MAX_FILENAME:] or "attachment"


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _looks_like(data: bytes, starts: tuple[bytes, ...] | None) -> bool:
    if starts is not None:
        return data.startswith(starts)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def check_attachment(incoming: IncomingFile, limits: Limits, *, room_left: int) -> \
        AttachmentCheck:
    """Kept, or refused with a reason a coordinator can read: type, content, then size
    (per file, and what is left of the message's allowance after the files before it)."""
    name, size = safe_filename(incoming.filename), len(incoming.data)
    ext = extension(name)
    allowed = ALLOWED_TYPES.get(ext)
    declared = (incoming.declared_type or "application/octet-stream")[:100]

    def refused(reason: str) -> AttachmentCheck:
        return AttachmentCheck(name, size, declared, reason)

    if allowed is None:
        kinds = ", ".join(sorted({key.upper() for key in ALLOWED_TYPES} - {"JPG"}))
        return refused(f"a .{ext} file is not accepted (only {kinds})" if ext else
                       f"a file without an extension is not accepted (only {kinds})")
    content_type, starts = allowed
    if not _looks_like(incoming.data, starts):
        return refused(f"the file is named .{ext} but its content is not a {ext.upper()} file")
    if size > limits.attachment_bytes:
        return refused(f"{_megabytes(size)} is over the limit of "
                       f"{_megabytes(limits.attachment_bytes)} for one attachment")
    if size > room_left:
        return refused(f"the message's attachments together are over the limit of "
                       f"{_megabytes(limits.message_bytes)}")
    return AttachmentCheck(name, size, content_type, "")


def check_attachments(files: list[IncomingFile], limits: Limits) -> list[AttachmentCheck]:
    room, checks = limits.message_bytes, []
    for incoming in files:
        checked = check_attachment(incoming, limits, room_left=room)
        if checked.kept:
            room -= checked.size
        checks.append(checked)
    return checks


class _TextFromHtml(HTMLParser):
    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
              "blockquote"}
    SKIP = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The text of an HTML part, for a reply with no plain part: it is never shown as HTML."""
    parser = _TextFromHtml()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _text_of(part) -> str:
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, AssertionError):  # unknown or wrong charset
        text = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    # Mail on the wire ends its lines with CRLF: kept with plain line ends.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "")
    except (ValueError, IndexError, TypeError):  # a header the parser cannot make sense of
        return ""


def _headers(message: EmailMessage, names) -> list[str]:
    """Every value of the named headers (Delivered-To may appear once per hop)."""
    values = []
    for name in names:
        try:
            values.extend(str(value) for value in message.get_all(name, []))
        except (ValueError, IndexError, TypeError):
            continue
    return values


def _sent_at(message: EmailMessage) -> datetime.datetime | None:
    try:
        value = email.utils.parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def message_id_of(message: EmailMessage, raw: bytes) -> str:
    """The Message-ID, or one made from the message's bytes, so a message without one is still
    stored once however often it arrives."""
    given = _header(message, "Message-ID").strip()
    if given:
        return given[:250]
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@cradle.invalid>"


def parse_message(raw: bytes, envelope_recipients=()) -> ParsedReply:
    message = email.message_from_bytes(raw, policy=default_policy)
    body = message.get_body(preferencelist=("plain", "html"))
    text, converted = "", False
    if body is not None:
        text = _text_of(body)
        if body.get_content_type() == "text/html":
            text, converted = html_to_text(text), True
    files = []
    for part in message.iter_attachments():
        if part.is_multipart():
            continue  # a forwarded message's own parts are not opened
        data = part.get_payload(decode=True) or b""
        files.append(IncomingFile(part.get_filename() or "", part.get_content_type(), data))
    from_pairs = email.utils.getaddresses([_header(message, "From")])
    recipients = [*envelope_recipients, *_headers(message, RECIPIENT_HEADERS)]
    return ParsedReply(
        message_id=message_id_of(message, raw),
        from_address=(from_pairs[0][1] if from_pairs else "")[:254],
        subject=_header(message, "Subject")[:500],
        sent_at=_sent_at(message), text=text.strip(), recipients=recipients, files=files,
        html_converted=converted)
