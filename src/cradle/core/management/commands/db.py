from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cradle.core import database_roles


class Command(BaseCommand):
    help = ("PostgreSQL roles. `grant-app-role --role NAME`, run as the migration role (the "
            "tables' owner) after each `cradle migrate`, lets NAME run the application without "
            "being able to change, delete, truncate or un-trigger the audit log.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        grant = sub.add_parser("grant-app-role", help="Grant the application role its rights.")
        grant.add_argument("--role", required=True, help="The application role's name.")
        grant.add_argument("--create", action="store_true",
                           help="Create the role (NOLOGIN) if it does not exist.")
        grant.add_argument("--print", action="store_true", dest="print_only",
                           help="Print the statements instead of running them.")

    def handle(self, *args, subcommand, role, create, print_only, **options):
        if connection.vendor != "postgresql":
            raise CommandError("database roles are for PostgreSQL; SQLite has none")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_database(), current_schema()")
            database, schema = cursor.fetchone()
            statements = database_roles.grant_statements(role=role, database=database,
                                                         schema=schema)
            if print_only:
                for statement in statements:
                    self.stdout.write(f"{statement.as_string(cursor.connection)};")
                return
            if create and database_roles.create_role(cursor, role):
                self.stdout.write(f"role {role} created (NOLOGIN)")
            try:
                database_roles.check_role(cursor, role)
            except database_roles.RoleError as error:
                raise CommandError(str(error)) from None
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"{role} may now run the application on {database}; it cannot change "
                          "or remove audit entries. Run this again after each migrate.")
