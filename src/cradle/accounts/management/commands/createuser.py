"""cradle createuser --email E --role R [--team REF_OR_ID] [--area SCHEME:CODE ...] [--staff]

Creates an account with one role. The password is asked for twice, or read from the
CRADLE_NEW_USER_PASSWORD environment variable (for scripts); the password validators apply,
and the password is never printed. Coordinators also get admin access (staff, and the
Coordinators group's permissions on the register and FOI records); --staff gives the same to
any other role.
"""

import getpass
import os
import sys

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cradle.accounts import invitations
from cradle.accounts.forms import parse_areas
from cradle.accounts.models import User
from cradle.accounts.permissions import ROLES, TEAM_ROLES
from cradle.directory.models import Service

PASSWORD_VARIABLE = "CRADLE_NEW_USER_PASSWORD"


class Command(BaseCommand):
    help = ("Create an account with a role (the password is asked for, or read from "
            f"{PASSWORD_VARIABLE}).")

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=list(ROLES))
        parser.add_argument("--team", help="for a team role: the service's register reference "
                                           "(e.g. T01) or id")
        parser.add_argument("--area", action="append", default=[], metavar="SCHEME:CODE",
                            help="for a commissioner (repeatable), e.g. ccg2019:E38000001")
        parser.add_argument("--staff", action="store_true",
                            help="also give admin access to the register and FOI records")

    def handle(self, *args, email, role, team, area, staff, **options):
        email = User.objects.normalize_email(email).strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"There is already an account for {email}")
        service = self._team(team) if role in TEAM_ROLES else None
        if team and role not in TEAM_ROLES:
            raise CommandError(f"--team is only for a team role ({', '.join(TEAM_ROLES)})")
        areas = self._areas(area) if role == "commissioner" else []
        if area and role != "commissioner":
            raise CommandError("--area is only for the commissioner role")

        password = self._password(User(email=email))
        with transaction.atomic():
            user = User.objects.create_user(email, password)
            try:
                invitations.grant_role(user, role, service=service, areas=areas)
            except invitations.InvitationError as problem:
                raise CommandError(str(problem)) from None
            if staff:
                invitations.give_admin_access(user)
        where = f" in {service.name}" if service else ""
        admin = " with admin access" if user.is_staff else ""
        self.stdout.write(f"Created {email}: {ROLES[role].name}{where}{admin}")

    def _team(self, team: str | None) -> Service:
        if not team:
            raise CommandError("A team role needs --team (the register reference or id)")
        service = Service.objects.filter(register_ref__iexact=team).first()
        if service is None and team.isdigit():
            service = Service.objects.filter(pk=int(team)).first()
        if service is None:
            raise CommandError(f"No service has the register reference or id {team!r}")
        return service

    def _areas(self, names: list[str]) -> list:
        if not names:
            raise CommandError("A commissioner needs at least one --area SCHEME:CODE")
        found, unknown = parse_areas(" ".join(names))
        if unknown:
            raise CommandError(f"No single area matches {', '.join(unknown)} "
                               "(use SCHEME:CODE, e.g. ccg2019:E38000001)")
        return found

    def _password(self, user: User) -> str:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            if not self.stdin_is_interactive():
                raise CommandError(f"No password: set {PASSWORD_VARIABLE}, or run this in a "
                                   "terminal to be asked for one")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords do not match")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password is not allowed: "
                               + " ".join(error.messages)) from None
        return password

    @staticmethod
    def stdin_is_interactive() -> bool:
        return sys.stdin is not None and sys.stdin.isatty()
