from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cradle.audit import recorder
from cradle.audit.export import write_csv
from cradle.audit.models import Action, AuditEntry


class Command(BaseCommand):
    help = (
        "The audit log. `verify` checks the hash chain (edited, moved or deleted entries) and "
        "fails listing each problem; `export` writes the log to a CSV file."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check every entry against its hash and the one before.")
        export = sub.add_parser("export", help="Write the whole log, oldest first, as CSV.")
        export.add_argument("--output", required=True, help="The CSV file to write.")

    def handle(self, *args, subcommand, **options):
        if subcommand == "verify":
            self.verify()
        elif subcommand == "export":
            self.export(Path(options["output"]))

    def verify(self) -> None:
        count, problems = recorder.verify_log()
        if problems:
            lines = "\n".join(f"  {problem}" for problem in problems)
            raise CommandError(f"audit log damaged: {len(problems)} problem"
                               f"{'' if len(problems) == 1 else 's'} in {count} entries\n{lines}")
        self.stdout.write(f"audit log intact: {count} entries")
        head = recorder.head()
        if head and head[0]:
            self.stdout.write(f"newest entry: sequence {head[0]}, hash {head[1]} (keep a copy "
                              "elsewhere to detect a rewritten log)")

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
