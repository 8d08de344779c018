from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cradle.audit import chain, recorder
from cradle.audit.export import write_csv
from cradle.audit.models import Action, AuditEntry


class Command(BaseCommand):
    help = (
        "The audit log. `verify` checks the keyed hash chain (edited, moved or deleted "
        "entries, a missing or edited head) and fails listing each problem; `anchor` prints "
        "the newest hash to keep outside the database; `export` writes the log to a CSV file."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Check every entry against its hash and the one "
                                "before, and the newest against the head.")
        verify.add_argument("--anchor", metavar="HASH", help="A hash printed earlier by "
                            "`cradle audit anchor` (or SEQUENCE:HASH): fail unless that entry "
                            "is still in the chain, unchanged.")
        sub.add_parser("anchor", help="Print the newest entry's hash, to keep somewhere the "
                       "database's users cannot write (a ticket, a signed email, a log server).")
        export = sub.add_parser("export", help="Write the whole log, oldest first, as CSV.")
        export.add_argument("--output", required=True, help="The CSV file to write.")

    def handle(self, *args, subcommand, **options):
        if subcommand == "verify":
            self.verify(options.get("anchor"))
        elif subcommand == "anchor":
            self.anchor()
        elif subcommand == "export":
            self.export(Path(options["output"]))

    def verify(self, anchor_text: str | None) -> None:
        try:
            anchor = chain.parse_anchor(anchor_text) if anchor_text is not None else None
        except ValueError as error:
            raise CommandError(f"--anchor: {error}") from None
        count, problems = recorder.verify_log(anchor)
        if problems:
            lines = "\n".join(f"  {problem}" for problem in problems)
            raise CommandError(f"audit log damaged: {len(problems)} problem"
                               f"{'' if len(problems) == 1 else 's'} in {count} entries\n{lines}")
        self.stdout.write(f"audit log intact: {count} entries")
        if anchor is not None:
            self.stdout.write(f"the anchored entry {anchor[1]} is in the chain, unchanged")
        head = recorder.head()
        if head and head[0]:
            self.stdout.write(f"newest entry: sequence {head[0]}, hash {head[1]} (keep a copy "
                              "elsewhere to detect a rewritten log: cradle audit anchor)")

    def anchor(self) -> None:
        """The hash alone on standard output (for scripts); what it is on standard error.
        Only an intact log is anchored: anchoring a damaged one would vouch for the damage."""
        count, problems = recorder.verify_log()
        if problems:
            raise CommandError(f"audit log damaged ({len(problems)} problems): run `cradle "
                               "audit verify`; nothing anchored")
        sequence, entry_hash = recorder.head()
        self.stdout.write(entry_hash)
        self.stderr.write(f"sequence {sequence} of {count} entries. Keep this hash outside the "
                          "database; later, `cradle audit verify --anchor HASH` fails if that "
                          "entry was removed or changed.")

    def export(self, output: Path) -> None:
        try:
            with transaction.atomic(), output.open("w", newline="", encoding="utf-8") as handle:
                count = write_csv(AuditEntry.objects.in_order().iterator(), handle)
                recorder.record(actor=None, action=Action.EXPORT,
                                model_label="audit.auditentry", object_id="",
                                note=f"{count} entries to a CSV file (cradle audit export)")
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from None
        self.stdout.write(f"{count} entries written to {output}")
