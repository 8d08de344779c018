"""PostgreSQL: the application connects as a role that does not own the tables.

Two roles (docs/security.md, "PostgreSQL roles"): the *migration role* owns every table and
runs `cradle migrate` (and this module's grants); the *application role* runs the site and the
other commands. The application role may read and write the application's tables, but on the
audit log only read and append: it has no UPDATE, DELETE or TRUNCATE on the entries, may only
advance (UPDATE) the chain head, and, not being the owner, cannot ALTER the table to disable
the append-only trigger or drop it. Default privileges give it the same rights on tables that
later migrations create (the audit tables' restrictions are re-applied by running this again
after each `migrate`).

The statements are built with psycopg's `sql` composition (identifiers quoted), never by
formatting text.
"""

from __future__ import annotations

from psycopg import sql

from cradle.audit.models import AuditEntry, ChainHead

APPLICATION_TABLE_RIGHTS = ("SELECT", "INSERT", "UPDATE", "DELETE")
# What the application role loses again, table by table, after the blanket grant.
WITHHELD = {
    AuditEntry._meta.db_table: ("UPDATE", "DELETE", "TRUNCATE"),
    ChainHead._meta.db_table: ("INSERT", "DELETE", "TRUNCATE"),
    "django_migrations": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
}


class RoleError(Exception):
    """The role cannot safely be the application role (or the grants cannot be given)."""


def _rights(names) -> sql.Composable:
    return sql.SQL(", ").join(sql.SQL(name) for name in names)


def grant_statements(*, role: str, database: str, schema: str) -> list[sql.Composed]:
    """The GRANT and REVOKE statements that make `role` the application role."""
    role_id, schema_id = sql.Identifier(role), sql.Identifier(schema)
    statements = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), role_id),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema_id, role_id),
        sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA {} TO {}").format(
            _rights(APPLICATION_TABLE_RIGHTS), schema_id, role_id),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
            schema_id, role_id),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT {} ON TABLES TO {}").format(
            schema_id, _rights(APPLICATION_TABLE_RIGHTS), role_id),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}")
        .format(schema_id, role_id),
    ]
    statements += [
        sql.SQL("REVOKE {} ON TABLE {} FROM {}").format(
            _rights(rights), sql.Identifier(schema, table), role_id)
        for table, rights in WITHHELD.items()
    ]
    return statements


def check_role(cursor, role: str) -> None:
    """RoleError unless `role` exists, is not a superuser, and is not (or does not inherit)
    the role that owns the audit log; and unless we are connected as that owner."""
    cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is None:
        raise RoleError(f"there is no role {role!r} (create it first, or pass --create)")
    if row[0] or row[1]:
        raise RoleError(f"{role!r} is a superuser or bypasses row security: it could do "
                        "anything to the audit log")
    cursor.execute("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
                   "AND tablename = %s", [AuditEntry._meta.db_table])
    owner = cursor.fetchone()
    if owner is None:
        raise RoleError("the audit log's table is not there: run `cradle migrate` first")
    cursor.execute("SELECT current_user, pg_has_role(%s, %s, 'USAGE')", [role, owner[0]])
    current_user, inherits_owner = cursor.fetchone()
    if current_user != owner[0]:
        raise RoleError(f"connect as the tables' owner ({owner[0]}), not {current_user}, to "
                        "grant")
    if inherits_owner:
        raise RoleError(f"{role!r} is, or is a member of, the tables' owner {owner[0]!r}: it "
                        "could disable the audit trigger")


def create_role(cursor, role: str) -> bool:
    """Create `role` (NOLOGIN: give it a password and LOGIN yourself) if missing; True if made."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone():
        return False
    cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    return True
