"""The 36 ICBs of April 2026 in terms of the 42 of April 2024 (plain data, no Django imports).

No official boundary, GSS code or lookup of the 2026 ICBs is in ../shared. The code list
(`icb_2026-04_ods_codes_short_names.csv`) says which codes are unchanged and names the 2024
ICBs each new one was made from, some only "in part". Where a 2024 ICB was split, it is split
here by whole local authorities (April 2020 codes), and each part is checked at build time
against the ODS trust extract of July 2026: a trust headquartered in an authority of the part
must have the part's 2026 ICB as its parent. Authorities with no such trust are assumed to go
with the rest of their part, and the area's note says so.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class NewIcb:
    whole: tuple[str, ...]  # ODS codes of 2024 ICBs taken whole
    # ODS code of a 2024 ICB split between 2026 ICBs: (its part's label, April 2020 LA codes)
    parts: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    made_from: str = ""


HERTFORDSHIRE = ("E07000095", "E07000096", "E07000098", "E07000099", "E07000102", "E07000103",
                 "E07000240", "E07000241", "E07000242", "E07000243")
WEST_ESSEX = ("E07000072", "E07000073", "E07000077")
NORTH_EAST_ESSEX = ("E07000071", "E07000076")
SUFFOLK = ("E07000200", "E07000202", "E07000203", "E07000244", "E07000245")
EAST_BERKSHIRE = ("E06000036", "E06000039", "E06000040")
# Surrey Heath, Hart, Rushmoor, and Frimley's parts of Guildford, Runnymede and Waverley.
FRIMLEY_SURREY_AND_HAMPSHIRE = ("E07000089", "E07000092", "E07000209", "E07000212",
                                "E07000214", "E07000216")

NEW_ICBS: dict[str, NewIcb] = {
    "Z9B2Z": NewIcb(("QMJ", "QRV"), {}, "North Central London and North West London ICBs"),
    "S1Y5D": NewIcb(("QHG", "QUE"), {"QM7": ("Hertfordshire", HERTFORDSHIRE)},
                    "Bedfordshire, Luton and Milton Keynes and Cambridgeshire and Peterborough "
                    "ICBs, and the Hertfordshire part of Hertfordshire and West Essex ICB"),
    "D7T5G": NewIcb(("QH8",), {"QM7": ("West Essex", WEST_ESSEX),
                               "QJG": ("North East Essex", NORTH_EAST_ESSEX)},
                    "Mid and South Essex ICB, the West Essex part of Hertfordshire and West Essex "
                    "ICB and the North East Essex part of Suffolk and North East Essex ICB"),
    "T6Y0W": NewIcb(("QMM",), {"QJG": ("Suffolk", SUFFOLK)},
                    "Norfolk and Waveney ICB and the Suffolk part of Suffolk and North East "
                    "Essex ICB"),
    "S9B9J": NewIcb(("QXU", "QNX"), {"QNQ": ("Surrey Heath, North East Hampshire and Farnham",
                                             FRIMLEY_SURREY_AND_HAMPSHIRE)},
                    "Surrey Heartlands and Sussex ICBs and the Surrey and Hampshire part of "
                    "Frimley ICB"),
    "S0E4D": NewIcb(("QU9",), {"QNQ": ("East Berkshire", EAST_BERKSHIRE)},
                    "Buckinghamshire, Oxfordshire and Berkshire West ICB and the East Berkshire "
                    "part of Frimley ICB"),
}


def destinations(icb_2024_of_2026: Mapping[str, str] | None = None) -> dict[tuple[str, str], str]:
    """{(2024 ICB ODS code, April 2020 LA code or ""): 2026 ICB ODS code}.

    "" stands for the whole 2024 ICB; split ICBs are keyed by each authority of each part.
    `icb_2024_of_2026` maps unchanged codes to themselves.
    """
    found: dict[tuple[str, str], str] = {}
    for code in icb_2024_of_2026 or {}:
        found[(code, "")] = code
    for new, icb in NEW_ICBS.items():
        for old in icb.whole:
            found[(old, "")] = new
        for old, (_label, las) in icb.parts.items():
            for la in las:
                found[(old, la)] = new
    return found


def split_icbs() -> dict[str, dict[str, tuple[str, ...]]]:
    """{2024 ICB split in 2026: {2026 ICB: the authorities of its part}}."""
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for new, icb in NEW_ICBS.items():
        for old, (_label, las) in icb.parts.items():
            found.setdefault(old, {})[new] = las
    return found


def shares_2026(
    la_shares_2024: Mapping[str, Mapping[str, Fraction]], to_2026: Mapping[tuple[str, str], str]
) -> dict[str, dict[str, Fraction]]:
    """Each authority's shares in the 2026 ICBs from its shares in the 2024 ones (by ODS code).

    A 2024 ICB taken whole passes its share on; the part of a split one inside an authority
    goes to the 2026 ICB that authority's part joined. An authority missing from its split
    ICB's parts is an error, not a guess.
    """
    shares: dict[str, dict[str, Fraction]] = {}
    for la, by_icb in la_shares_2024.items():
        parts: dict[str, Fraction] = {}
        for icb, share in by_icb.items():
            new = to_2026.get((icb, "")) or to_2026.get((icb, la))
            if new is None:
                raise ValueError(f"2024 ICB {icb} holds babies of {la}, which no 2026 ICB takes")
            parts[new] = parts.get(new, Fraction(0)) + share
        shares[la] = parts
    return shares


def trust_evidence(
    parts: Mapping[str, tuple[str, ...]], trusts: list[tuple[str, str, str]]
) -> tuple[dict[str, list[str]], list[str]]:
    """Which trusts back each part, and which contradict it.

    `parts`: {2026 ICB: authorities}; `trusts`: (trust name, April 2020 LA of its head office,
    its parent 2026 ICB). Returns ({2026 ICB: names of trusts in its part with it as parent},
    [contradictions]).
    """
    backing: dict[str, list[str]] = {new: [] for new in parts}
    contradictions = []
    for name, la, parent in trusts:
        for new, las in parts.items():
            if la in las:
                if parent == new:
                    backing[new].append(name)
                else:
                    contradictions.append(f"{name} ({la}) has parent {parent}, not {new}")
    return backing, contradictions
