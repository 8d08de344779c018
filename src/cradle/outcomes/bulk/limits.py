"""What one uploaded file may hold, and the budget its reading and checking may spend (pure).

A small file is checked and imported in the web request (up to `IN_REQUEST_ROWS` rows); a
larger one is checked and imported by a background worker (ADR 0020), up to `MAX_ROWS` rows
and `MAX_UPLOAD_BYTES`, with no time limit but the worker's `BACKGROUND_SECONDS`. Larger files
are refused with a message saying to split them, before any row is checked; the template guide
states the same limits (`GUIDE_TEXT`). A workbook is also checked as a zip archive before it is parsed, so that a
small upload cannot unpack to gigabytes.
"""

from __future__ import annotations

import io
import re
import time
import zipfile

from .problems import FileProblems, Problem

#: The upload itself (the form refuses a larger file before it is read).
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
#: Records (rows with data, every sheet together) one CSV file may hold (checked by a worker).
MAX_ROWS = 250_000
#: ... and one workbook: openpyxl needs time and memory in proportion to a sheet (300,000
#: rows took 62 s and 745 MB), so larger files must be CSV.
MAX_WORKBOOK_ROWS = 10_000
#: Files up to this many lines, and this size, are checked and imported in the request; larger
#: ones by a background worker (bench/outcomes_import.py: about 600 audited rows a second on a
#: loaded SQLite machine, so 3,000 rows take 5 s, well inside the server's 30-second timeout).
IN_REQUEST_ROWS = 3_000
IN_REQUEST_BYTES = 2 * 1024 * 1024
#: Seconds that reading and checking one file may take before it is refused: in a request,
#: and in a worker.
PARSE_SECONDS = 20.0
BACKGROUND_SECONDS = 30 * 60.0
#: A workbook's parts, unpacked, together (a full 10,000-row sheet of 40 columns is about
#: 20 MB); how many parts; how far one may be compressed.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 1_000
MAX_COMPRESSION_RATIO = 100
#: Row elements in a workbook's sheets, counted in the XML before it is parsed: generous, as
#: rows that are empty but keep formatting have elements too (openpyxl would read every one).
MAX_ROW_ELEMENTS = 2 * MAX_WORKBOOK_ROWS
#: Dates before this year are refused (no referral, episode or measure is that old).
MIN_YEAR = 1900
#: The largest number any cell takes (scores, ages and minutes are far below it).
MAX_NUMBER = 1_000_000

GUIDE_TEXT = (f"A CSV file may hold up to {MAX_ROWS:,} rows of records and a workbook up to "
              f"{MAX_WORKBOOK_ROWS:,} (every sheet together), and a file may be up to "
              f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB; split a larger file into several and "
              f"import them one after the other. A file of more than {IN_REQUEST_ROWS:,} rows is checked and imported "
              "in the background, with a page that shows how far it has got. Rows Cradle already holds are recognised and skipped, so importing a "
              "file again, or files that overlap, adds nothing twice.")

def too_many_rows(cap: int) -> str:
    return (f"the file has more than {cap:,} rows of records: split it into files of up to "
            f"{cap:,} rows and import them one after the other"
            + (", or save it as CSV UTF-8, which may hold more" if cap < MAX_ROWS else ""))


TOO_MANY_ROWS = too_many_rows(MAX_ROWS)
TOO_MANY_WORKBOOK_ROWS = too_many_rows(MAX_WORKBOOK_ROWS)
TOO_SLOW = ("the file took too long to read: split it into smaller files, or save it again "
            "from Excel (as .xlsx or CSV UTF-8) to remove hidden content")
NOT_A_WORKBOOK = ("the file is not an Excel workbook Cradle can read: save it as .xlsx, or as "
                  "CSV UTF-8")
TOO_BIG_UNPACKED = ("the workbook unpacks to more than "
                    f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB: split it into smaller files, "
                    "or save the sheets as CSV UTF-8")
TOO_MANY_ROW_ELEMENTS = (f"the workbook's sheets have more than {MAX_ROW_ELEMENTS:,} rows, "
                         "counting empty rows that keep formatting: delete the rows below your "
                         f"records, or split the file into files of up to {MAX_ROWS:,} rows")
UNSAFE_XML = ("the workbook holds XML entity or document type declarations, which Cradle does "
              "not read: open it in Excel and save it again as .xlsx, or save it as CSV UTF-8")


def refuse(message: str) -> FileProblems:
    return FileProblems([Problem(message=message)])


class Budget:
    """Counts the rows read from one file against MAX_ROWS and the time against
    PARSE_SECONDS; raises FileProblems the moment either is spent."""

    def __init__(self, max_rows: int = MAX_ROWS, seconds: float = PARSE_SECONDS,
                 clock=time.monotonic, on_rows=None):
        self.max_rows, self.clock = max_rows, clock
        self.deadline = clock() + seconds
        self.rows = 0
        self.seen = 0
        #: Called with the rows seen so far every 256 rows (a background job's progress).
        self.on_rows = on_rows

    def record(self) -> None:
        """One row with data."""
        self.rows += 1
        if self.rows > self.max_rows:
            raise refuse(too_many_rows(self.max_rows))
        self.tick()

    def tick(self) -> None:
        """Any row, blank or not; the clock is read every 256 rows."""
        self.seen += 1
        if self.seen % 256 == 0:
            if self.clock() > self.deadline:
                raise refuse(TOO_SLOW)
            if self.on_rows is not None:
                self.on_rows(self.seen)


_ROW_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?row[\s/>]")
CHUNK_BYTES = 1024 * 1024
_OVERLAP = 64  # longer than any match, so none is cut by a chunk's edge and lost


def count_row_elements(stream, chunk_bytes: int = CHUNK_BYTES) -> int:
    """Row elements in a sheet's XML, by a byte scan of the unpacked stream a chunk at a time
    (a fraction of a second for the largest sheet allowed, where openpyxl takes seconds)."""
    count, carry = 0, b""
    while chunk := stream.read(chunk_bytes):
        window = carry + chunk
        edge = max(len(window) - _OVERLAP, 0)
        # Matches starting before the edge are complete; the rest are counted next time.
        count += sum(1 for match in _ROW_ELEMENT.finditer(window) if match.start() < edge)
        carry = window[edge:]
    return count + len(_ROW_ELEMENT.findall(carry))


def estimated_rows(filename: str, data: bytes) -> int:
    """About how many rows a file holds, without parsing it: lines of a CSV file, row elements
    of a workbook's sheets (0 for a workbook that is not one: the request then says why)."""
    if filename.lower().endswith(".xlsx"):
        try:
            return check_archive(data)
        except FileProblems:
            return 0
    return data.count(b"\n")


def runs_in_request(filename: str, data: bytes) -> bool:
    return len(data) <= IN_REQUEST_BYTES and estimated_rows(filename, data) <= IN_REQUEST_ROWS


def check_archive(data: bytes) -> int:
    """Refuse a workbook whose zip archive is not one, has too many parts, unpacks to too
    much or is compressed beyond what spreadsheets are (a zip bomb), or whose sheets have far
    more rows than a file may hold, before parsing it. The sizes are the archive's own;
    Python's zip reader stops at them, so they bound the work."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise refuse(NOT_A_WORKBOOK) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise refuse(NOT_A_WORKBOOK)
        if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
            raise refuse(TOO_BIG_UNPACKED)
        for part in parts:
            if part.file_size > 1024 * 1024 and (
                    part.file_size > MAX_COMPRESSION_RATIO * max(part.compress_size, 1)):
                raise refuse(TOO_BIG_UNPACKED)
        rows = 0
        for part in parts:
            if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                try:
                    with archive.open(part) as stream:
                        rows += count_row_elements(stream)
                except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                    raise refuse(NOT_A_WORKBOOK) from None
                if rows > MAX_ROW_ELEMENTS:
                    raise refuse(TOO_MANY_ROW_ELEMENTS)
    return rows
