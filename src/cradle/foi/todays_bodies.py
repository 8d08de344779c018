"""Today's FOI bodies from the public source files (plain data, no Django imports).

Reads the ICBs of April 2024 and April 2026, the sub-ICB locations, the open NHS trusts, the
devolved boards and trusts, and WhatDoTheyKnow's request links (PROVENANCE.md §5; ADR 0028).
Every problem names the file, the row as a spreadsheet shows it and the field; all are
collected before anything is written, so a bad file is refused whole.
"""

import csv
import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from cradle.geography.schemes import NATIONS, SCHEMES_BY_KEY

ICB_2024_FILE = "icb24_names_codes.csv"
ICB_2026_FILE = "icb_2026-04_ods_codes_short_names.csv"
SUB_ICB_FILE = "ods_eccg_open_2025.csv"
TRUSTS_FILE = "nhs_trusts_open_ods_2026-07.csv"
DEVOLVED_FILE = "devolved_health_bodies_codes.csv"
WDTK_FILE = "wdtk_nhs_request_links_2024-11.csv"
SOURCE_FILES = (ICB_2024_FILE, ICB_2026_FILE, SUB_ICB_FILE, TRUSTS_FILE, DEVOLVED_FILE,
                WDTK_FILE)

COLUMNS = {
    ICB_2024_FILE: ("icb24_code", "icb24_code_nhs", "icb24_name"),
    ICB_2026_FILE: ("icb_ods_code", "icb_short_name", "nhs_england_region",
                    "code_unchanged_since_2024"),
    SUB_ICB_FILE: ("org_code", "name", "address_line_1", "address_line_2", "address_line_3",
                   "address_line_4", "address_line_5", "postcode", "close_date", "ods_role",
                   "sicbl24_gss"),
    TRUSTS_FILE: ("org_code", "name", "icb_ods", "address_line_1", "address_line_2",
                  "address_line_3", "address_line_4", "address_line_5", "postcode",
                  "open_date", "close_date", "nation"),
    DEVOLVED_FILE: ("nation", "body_type", "name", "ods_code", "gss_or_other_code"),
    WDTK_FILE: ("id", "wdtk_url_name", "wdtk_new_request_page"),
}

SUB_ICB_LOCATION_ROLE = "RO319"
WDTK_NEW_REQUEST = "https://www.whatdotheyknow.com/new/"
BODY_CODE = re.compile(r"[A-Z0-9]{3,10}")
SLUG = re.compile(r"[a-z0-9_]+")
DEVOLVED_TYPES = {  # body_type in the file -> (nation, area scheme)
    "local_health_board": ("Wales", "lhb"),
    "health_board": ("Scotland", "hb"),
    "hsc_trust": ("Northern Ireland", "nitrust"),
}
# Words that stay as they are when ODS's capitals are tidied.
KEEP_UPPER = {"NHS", "ICB", "UK", "HQ", "II", "CAMHS"}
ORDINAL = re.compile(r"[0-9]+(ST|ND|RD|TH)", re.IGNORECASE)
KEEP_LOWER = {"and", "of", "the", "for", "in", "on", "upon", "at", "with"}


class BodiesSourceError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class BodyRow:
    body_type: str
    code: str
    code_system: str
    kind: str  # "commissioner" or "provider"
    name: str
    nation: str
    in_force_from: datetime.date | None
    in_force_to: datetime.date | None
    source: str
    areas: tuple[tuple[str, str], ...] = ()  # (scheme, code or ODS code)
    areas_are_default: bool = False  # trusts: a coordinator may record other areas later
    postal_address: str = ""
    wdtk_url_name: str = ""


def tidy_name(text: str) -> str:
    """ODS's capitals as a name is written: "ALDER HEY CHILDREN'S NHS FOUNDATION TRUST" ->
    "Alder Hey Children's NHS Foundation Trust"."""
    def word(part: str, first: bool) -> str:
        if ORDINAL.fullmatch(part):
            return part.lower()
        if part.upper() in KEEP_UPPER or any(c.isdigit() for c in part):  # codes: 00T, 15F
            return part.upper()
            return part.upper()
        if not first and part.lower() in KEEP_LOWER:
            return part.lower()
        return "-".join(piece[:1].upper() + piece[1:].lower() for piece in part.split("-"))

    return " ".join(word(part, index == 0) for index, part in enumerate(text.split()))


def postal_address(row: dict) -> str:
    lines = [tidy_name(row[f"address_line_{n}"]) for n in range(1, 6) if row[f"address_line_{n}"]]
    return "\n".join([*lines, row["postcode"].upper()] if row["postcode"] else lines)


def _scheme_dates(scheme: str) -> tuple[datetime.date | None, datetime.date | None]:
    known = SCHEMES_BY_KEY[scheme]
    return (datetime.date.fromisoformat(known.in_force_from) if known.in_force_from else None,
            datetime.date.fromisoformat(known.in_force_to) if known.in_force_to else None)


class _Reader:
    """Rows of the source files, with the problems found in them."""

    def __init__(self, source_dir: Path):
        self.source_dir = source_dir
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def problem(self, file: str, line: int | None, field: str | None, message: str) -> None:
        where = file + (f", row {line}" if line else "") + (f", field '{field}'" if field else "")
        self.errors.append(f"{where}: {message}")

    def rows(self, file: str):
        path = self.source_dir / file
        try:
            handle = path.open(newline="", encoding="utf-8-sig")
        except OSError:
            self.problem(file, None, None, f"cannot read {path}")
            return
        with handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS[file] if c not in (reader.fieldnames or ())]
            if missing:
                self.problem(file, 1, None, f"header lacks {', '.join(missing)}")
                return
            for row in reader:
                if None in row or any(value is None for value in row.values()):
                    self.problem(file, reader.line_num, None, "wrong number of fields")
                    continue
                yield reader.line_num, {key: value.strip() for key, value in row.items()}

    def code(self, file, line, field, text, seen: set) -> bool:
        if not BODY_CODE.fullmatch(text):
            self.problem(file, line, field, f"{text!r} is not a code (3 to 10 capital letters "
                         "and digits)")
            return False
        if text in seen:
            self.problem(file, line, field, f"{text!r} is repeated")
            return False
        seen.add(text)
        return True

    def required(self, file, line, row, *fields) -> bool:
        empty = [field for field in fields if not row[field]]
        for field in empty:
            self.problem(file, line, field, "empty")
        return not empty

    def ods_date(self, file, line, field, text) -> datetime.date | None:
        try:
            if not re.fullmatch(r"[0-9]{8}", text):
                raise ValueError
            return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            self.problem(file, line, field, f"{text!r} is not a date written YYYYMMDD")
            return None


def _icbs(read: _Reader) -> list[BodyRow]:
    from_2024, to_2024 = _scheme_dates("icb2024")
    from_2026, _ = _scheme_dates("icb2026")
    icbs_2024, seen = {}, set()
    for line, row in read.rows(ICB_2024_FILE):
        if read.required(ICB_2024_FILE, line, row, "icb24_code", "icb24_name") and read.code(
                ICB_2024_FILE, line, "icb24_code_nhs", row["icb24_code_nhs"], seen):
            icbs_2024[row["icb24_code_nhs"]] = row
    bodies, seen_2026 = [], set()
    for line, row in read.rows(ICB_2026_FILE):
        code, unchanged = row["icb_ods_code"], row["code_unchanged_since_2024"]
        if not (read.code(ICB_2026_FILE, line, "icb_ods_code", code, seen_2026)
                and read.required(ICB_2026_FILE, line, row, "icb_short_name")):
            continue
        if unchanged not in ("0", "1"):
            read.problem(ICB_2026_FILE, line, "code_unchanged_since_2024",
                         f"{unchanged!r} is not 0 or 1")
        elif (unchanged == "1") != (code in icbs_2024):
            read.problem(ICB_2026_FILE, line, "code_unchanged_since_2024",
                         f"{unchanged} but {code} is {'not ' if code not in icbs_2024 else ''}"
                         f"an ICB of April 2024 in {ICB_2024_FILE}")
        elif unchanged == "1":
            # The same board went on under the same code: one body, in force throughout.
            old = icbs_2024[code]
            bodies.append(BodyRow("icb", code, "ods", "commissioner", old["icb24_name"],
                                  "England", from_2024, None, f"{ICB_2024_FILE}; {ICB_2026_FILE}",
                                  (("icb2024", old["icb24_code"]), ("icb2026", code))))
        else:
            bodies.append(BodyRow(
                "icb", code, "ods", "commissioner",
                f"NHS {row['icb_short_name']} Integrated Care Board", "England", from_2026, None,
                ICB_2026_FILE, (("icb2026", code),)))
    for code, old in icbs_2024.items():
        if code not in seen_2026:  # abolished on 31 March 2026
            bodies.append(BodyRow("icb", code, "ods", "commissioner", old["icb24_name"],
                                  "England", from_2024, to_2024, ICB_2024_FILE,
                                  (("icb2024", old["icb24_code"]),)))
    return bodies


def _sub_icb_locations(read: _Reader) -> list[BodyRow]:
    in_force_from, in_force_to = _scheme_dates("subicb2024")
    bodies, seen = [], set()
    for line, row in read.rows(SUB_ICB_FILE):
        # A row can hold several roles ("RO319|RO326"); six sub-ICB locations do.
        if SUB_ICB_LOCATION_ROLE not in row["ods_role"].split("|"):
            continue
        if not (read.code(SUB_ICB_FILE, line, "org_code", row["org_code"], seen)
                and read.required(SUB_ICB_FILE, line, row, "name", "sicbl24_gss")):
            continue
        if row["close_date"]:
            read.problem(SUB_ICB_FILE, line, "close_date", "a closed sub-ICB location")
            continue
        bodies.append(BodyRow(
            "sub_icb_location", row["org_code"], "ods", "commissioner", tidy_name(row["name"]),
            "England", in_force_from, in_force_to, SUB_ICB_FILE,
            (("subicb2024", row["sicbl24_gss"]),), postal_address=postal_address(row)))
    return bodies


def _trusts(read: _Reader, icbs_2026: set[str]) -> list[BodyRow]:
    bodies, seen = [], set()
    for line, row in read.rows(TRUSTS_FILE):
        if not (read.code(TRUSTS_FILE, line, "org_code", row["org_code"], seen)
                and read.required(TRUSTS_FILE, line, row, "name")):
            continue
        if row["nation"] not in NATIONS:
            read.problem(TRUSTS_FILE, line, "nation",
                         f"{row['nation']!r} is not one of {', '.join(NATIONS)}")
            continue
        if row["close_date"]:
            read.problem(TRUSTS_FILE, line, "close_date", "a closed trust in the open trusts")
            continue
        if row["icb_ods"] and row["icb_ods"] not in icbs_2026:
            read.problem(TRUSTS_FILE, line, "icb_ods",
                         f"{row['icb_ods']!r} is not an ICB of April 2026 in {ICB_2026_FILE}")
            continue
        if not row["icb_ods"] and row["nation"] == "England":
            read.problem(TRUSTS_FILE, line, "icb_ods", "empty for an English trust")
            continue
        opened = read.ods_date(TRUSTS_FILE, line, "open_date", row["open_date"])
        # Welsh trusts have no ICB; their areas are left for a coordinator to record.
        areas = (("icb2026", row["icb_ods"]),) if row["icb_ods"] else ()
        bodies.append(BodyRow(
            "nhs_trust", row["org_code"], "ods", "provider", tidy_name(row["name"]),
            row["nation"], opened, None, TRUSTS_FILE, areas, areas_are_default=True,
            postal_address=postal_address(row)))
    return bodies


def _devolved(read: _Reader) -> list[BodyRow]:
    bodies, seen = [], set()
    for line, row in read.rows(DEVOLVED_FILE):
        if row["body_type"] not in DEVOLVED_TYPES:
            read.problem(DEVOLVED_FILE, line, "body_type",
                         f"{row['body_type']!r} is not one of {', '.join(DEVOLVED_TYPES)}")
            continue
        nation, scheme = DEVOLVED_TYPES[row["body_type"]]
        if row["nation"] != nation:
            read.problem(DEVOLVED_FILE, line, "nation", f"{row['nation']!r}: a "
                         f"{row['body_type']} is in {nation}")
            continue
        if not read.required(DEVOLVED_FILE, line, row, "name", "gss_or_other_code"):
            continue
        # Scottish boards have no ODS code in the source, NI trusts none at all: their GSS
        # code, or the Department of Health's abbreviation (first word), is their stable code.
        other = row["gss_or_other_code"].split()[0]
        if row["ods_code"]:
            code, system, area_code = row["ods_code"], "ods", other
        elif scheme == "nitrust":
            code, system, area_code = other, "doh_ni", other
        else:
            code, system, area_code = other, "gss", other
        if not read.code(DEVOLVED_FILE, line, "ods_code" if system == "ods"
                         else "gss_or_other_code", code.upper(), seen):
            continue
        in_force_from, in_force_to = _scheme_dates(scheme)
        bodies.append(BodyRow(
            row["body_type"], code, system, "commissioner", row["name"], nation,
            in_force_from, in_force_to, DEVOLVED_FILE, ((scheme, area_code),)))
    return bodies


def _wdtk_names(read: _Reader) -> dict[str, str]:
    """ODS code -> WhatDoTheyKnow name. A code the file points at two names is left without
    a route (a warning): a request sent through the wrong body would be public."""
    names: dict[str, str] = {}
    ambiguous: dict[str, int] = {}
    for line, row in read.rows(WDTK_FILE):
        name, page = row["wdtk_url_name"], row["wdtk_new_request_page"]
        if not SLUG.fullmatch(name):
            read.problem(WDTK_FILE, line, "wdtk_url_name", f"{name!r} is not a WhatDoTheyKnow "
                         "name (lower-case letters, digits and _)")
        elif page != WDTK_NEW_REQUEST + name:
            read.problem(WDTK_FILE, line, "wdtk_new_request_page",
                         f"{page!r} is not {WDTK_NEW_REQUEST}{name}")
        elif row["id"] in ambiguous or (row["id"] in names and names[row["id"]] != name):
            ambiguous.setdefault(row["id"], line)
        else:
            names[row["id"]] = name
    for code, line in ambiguous.items():
        names.pop(code, None)
        read.warnings.append(f"{WDTK_FILE}, row {line}, field 'id': {code} points at more "
                             "than one WhatDoTheyKnow body; no route offered for it")
    return names


@dataclass(frozen=True)
class TodaysBodies:
    bodies: list[BodyRow]
    warnings: list[str]


def read_todays_bodies(source_dir: Path) -> TodaysBodies:
    """Every body of today's sources, or BodiesSourceError naming each bad row and field."""
    read = _Reader(Path(source_dir))
    icbs = _icbs(read)
    bodies = [*icbs, *_sub_icb_locations(read),
              *_trusts(read, {b.code for b in icbs if ("icb2026", b.code) in b.areas}),
              *_devolved(read)]
    wdtk = _wdtk_names(read)
    if read.errors:
        raise BodiesSourceError(read.errors)
    # WhatDoTheyKnow's ICB rows were dropped (wrong targets); only ODS-coded bodies match.
    return TodaysBodies(
        [BodyRow(**{**body.__dict__, "wdtk_url_name": wdtk.get(body.code, "")})
         if body.code_system == "ods" else body for body in bodies], read.warnings)
