"""The embedded SQLite database, as `make run` opens it: a real file, in its own private folder,
in WAL mode with a busy timeout and IMMEDIATE transactions, so that many clients at once get
no "database is locked" errors (26 of 373 case-page reads failed under 20 clients before).

Each test starts a fresh Python with the production settings and no DATABASE_URL (so it runs
the same whichever database the rest of the suite uses).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent("""
    import json, os, stat, threading
    import django
    django.setup()
    from django.conf import settings
    from django.db import connection, transaction, OperationalError

    def mode(path):
        return oct(stat.S_IMODE(os.stat(path).st_mode)) if os.path.exists(path) else None

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
        cursor.execute("CREATE TABLE IF NOT EXISTS probe (writer INTEGER, n INTEGER)")
    database = settings.DATABASES["default"]["NAME"]
    result = {
        "journal_mode": journal_mode, "busy_timeout": busy_timeout, "synchronous": synchronous,
        "transaction_mode": connection.transaction_mode,
        "folder_mode": mode(os.path.dirname(database)), "file_mode": mode(database),
        "wal_mode": mode(str(database) + "-wal"),
        "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
    }

    errors = []
    start = threading.Barrier(max(WRITERS, 1))

    def writer(number):
        # Read, then write, in one transaction: the pattern of every action (look the case
        # up, then record against it). A DEFERRED transaction takes its write lock only at
        # the INSERT and, when another writer got there first, fails at once (the busy
        # timeout cannot help a read lock that must be upgraded).
        try:
            start.wait()
            for n in range(WRITES):
                try:
                    with transaction.atomic():
                        with connection.cursor() as cursor:
                            cursor.execute("SELECT count(*) FROM probe WHERE writer = %s",
                                           [number])
                            cursor.fetchone()
                            cursor.execute("INSERT INTO probe VALUES (%s, %s)", [number, n])
                except OperationalError as error:
                    errors.append(str(error))
        finally:
            connection.close()

    if WRITERS:
        threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM probe")
            result["rows"] = cursor.fetchone()[0]
    result["errors"] = errors
    print(json.dumps(result))
""")


def probe(tmp_path, *, writers: int = 0, writes: int = 0, **env) -> dict:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("CRADLE_") and key != "DATABASE_URL"}
    environment |= {"DJANGO_SETTINGS_MODULE": "cradle.settings",
                    "CRADLE_SECRET_KEY": "x" * 50, "CRADLE_VAR_DIR": str(tmp_path / "var"),
                    "CRADLE_STATIC_MANIFEST": "0", **env}
    script = f"WRITERS, WRITES = {writers}, {writes}\n{PROBE}"
    completed = subprocess.run([sys.executable, "-c", script], env=environment,
                               capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_the_embedded_database_uses_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    result = probe(tmp_path)
    assert result["journal_mode"] == "wal"
    assert result["busy_timeout"] == 20000
    assert result["synchronous"] == 1  # NORMAL: safe with WAL, and no fsync per commit
    assert result["transaction_mode"] == "IMMEDIATE"


def test_the_embedded_database_is_private_to_its_owner(tmp_path):
    (tmp_path / "var").mkdir(mode=0o755)  # a folder made by someone else, too open
    result = probe(tmp_path)
    assert result["folder_mode"] == "0o700"
    assert result["file_mode"] == "0o600"
    assert result["wal_mode"] == "0o600"


def test_an_existing_database_file_is_made_private(tmp_path):
    folder = tmp_path / "var"
    folder.mkdir()
    (folder / "cradle.sqlite3").touch(mode=0o644)
    assert probe(tmp_path)["file_mode"] == "0o600"


@pytest.mark.parametrize("writers", [12])
def test_concurrent_writers_get_no_database_is_locked(tmp_path, writers):
    result = probe(tmp_path, writers=writers, writes=15)
    assert result["errors"] == []
    assert result["rows"] == writers * 15


def test_x_forwarded_proto_is_trusted_only_behind_a_proxy(tmp_path):
    assert probe(tmp_path)["proxy_header"] is None
    assert probe(tmp_path, CRADLE_BEHIND_PROXY="1")["proxy_header"] == [
        "HTTP_X_FORWARDED_PROTO", "https"]
