"""Three simultaneous confirmations of one staged import of N referrals, each in its own
thread with its own connection, against the database in DATABASE_URL (migrated here). Run by
test_outcomes_import_once.py in a process of its own, so that SQLite can be a file (the test
database is in memory, where connections cannot wait for each other). Prints JSON: what each
confirmation got, and how many referrals the database then holds."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cradle.settings")
os.environ.setdefault("CRADLE_PSEUDONYM_KEY", "a synthetic pseudonym key long enough for HMAC")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from cradle.accounts.models import TeamMembership, User  # noqa: E402
from cradle.directory.models import Service  # noqa: E402
from cradle.outcomes.bulk import staging, writing  # noqa: E402
from cradle.outcomes.bulk.checks import check_sheets  # noqa: E402
from cradle.outcomes.bulk.columns import REFERRALS  # noqa: E402
from cradle.outcomes.bulk.parsing import read_csv  # noqa: E402
from cradle.outcomes.bulk.plan import plan_import  # noqa: E402
from cradle.outcomes.models import Case, Referral  # noqa: E402


def main(rows: int) -> None:
    settings.CRADLE_IMPORT_STAGING_DIR = tempfile.mkdtemp()
    call_command("migrate", verbosity=0)
    team = Service.objects.create(name="Concurrency", kind="team", nation="england",
                                  synthetic=True)
    user = User.objects.create_user(email="concurrent@example.org", password="x" * 20)
    TeamMembership.objects.create(user=user, service=team, role="practitioner")
    # Cases Cradle has, so no unique constraint would stop a second copy of the referrals.
    Case.objects.bulk_create([Case(team=team, team_reference=f"R-{i}") for i in range(rows)])
    data = ("team_reference,referred_on,referrer_type\n"
            + "".join(f"R-{i},2025-01-01,gp\n" for i in range(rows))).encode()
    plan = plan_import(team, check_sheets(read_csv(data, REFERRALS)))
    token = staging.stage(plan.checked, user=user, team=team, file_sha256="0" * 64)
    start, results = threading.Barrier(3), []

    def confirm() -> None:
        try:
            start.wait()
            counts = writing.import_staged(user=User.objects.get(pk=user.pk),
                                           team=Service.objects.get(pk=team.pk), token=token)
            results.append(["imported", counts["referrals"]])
        except writing.AlreadyImported as done:
            results.append(["already imported", done.counts["referrals"]])
        except Exception as error:  # reported to the test
            results.append(["error", repr(error)[:200]])
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"results": sorted(results),
                      "referrals": Referral.objects.filter(case__team=team).count()}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
