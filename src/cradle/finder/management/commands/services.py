"""`cradle services near POSTCODE [--json]`: the finder's answer at the command line."""

import json

from django.core.management.base import BaseCommand, CommandError

from cradle.finder import words
from cradle.finder.answer import find_help


class Command(BaseCommand):
    help = "Services of the register. `near` prints the services for a postcode or place."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        near = sub.add_parser(
            "near", help="The services covering a postcode, district or place, then the nearest "
                         "others (as the Find help page answers).")
        near.add_argument("postcode", nargs="+",
                          help="A postcode (LS1 4AP), a district (LS1) or a place (Leeds).")
        near.add_argument(
            "--json", action="store_true",
            help='Print {"postcode", "local_authority": {"code", "name"}, "services": [...]} '
                 "with the services that cover the place (see ADR 0019).")

    def handle(self, *args, action, postcode, json: bool, **options):
        text = " ".join(postcode)
        answer = find_help(text)
        if answer.suggestions:
            raise CommandError(words.did_you_mean([place.name for place in answer.suggestions]))
        if answer.problem and answer.where is None:
            # The error does not repeat the postcode: stderr often ends up in a log.
            raise CommandError(words.problem_in_words(answer.problem, outside=answer.outside))
        if json:
            self.stdout.write(_dumps(answer.as_dict()))
            return
        self.write_text(answer)

    def write_text(self, answer):
        out = self.stdout.write
        where = answer.where
        authority = answer.local_authority
        heading = f"{answer.postcode}: " if answer.postcode else ""
        out(f"{heading}{where.label}" + (f" ({authority.code})" if authority else ""))
        if answer.approximate:
            out("Approximate: a district, not a full postcode. Its postcodes are in "
                + "; ".join(f"{a.name} {share:.0%}" for a, share in answer.shares))
        out(f"From Cradle's register on {answer.on.isoformat()} (services operating today).")
        if answer.covering:
            out(f"\n{len(answer.covering)} covering {where.label}:")
            for found in answer.covering:
                self.write_found(found)
        else:
            out(f"\nNo service in the register covers {where.label}.")
        out(f"\nWhat you can do instead. {words.NOT_ADVICE}")
        for who, what in words.ALTERNATIVES:
            out(f"- {who}: {what}")
        out(words.EMERGENCY)
        if answer.nearest:
            out("\nNearest others (not recorded as covering it; straight-line distance between "
                "council centres):")
            for found in answer.nearest:
                self.write_found(found)

    def write_found(self, found):
        out = self.stdout.write
        distance = f", about {found.distance_km:.0f} km" if found.distance_km is not None else ""
        out(f"* {found.name} [{found.ref or 'no reference'}]{distance}")
        out(f"  Team by the definition: {found.verdict.in_words}")
        if found.reasons:
            out(f"  Listed because it {'; '.join(found.reasons)}")
        else:
            out(f"  Covers: {', '.join(found.covers) or 'not recorded'}")
        if found.how_to_refer_known:
            out(f"  How to refer: {found.how_to_refer}")
        else:
            out(f"  How to refer: {words.REFERRAL_NOT_RECORDED}")
        if found.source_page:
            out(f"  About the service: {found.source_page}")
        for label, value in (("Phone", found.phone), ("Email", found.email),
                             ("Website", found.website)):
            if value:
                out(f"  {label}: {value}")
        confirmation = found.confirmation
        source = f" ({confirmation.source})" if confirmation.source else ""
        out(f"  Last confirmed: {confirmation.on_text}{source}")
        if not found.confirmed_operating:
            out("  Recorded as operating, but no source has confirmed that recently.")


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
