"""The production server as bench/ and the README start it, for tests: gunicorn with the app
and `-c python:cradle.gunicorn_conf`, CRADLE_DEBUG off, on a free local port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_gunicorn(var_dir, *extra_arguments: str):
    """Yield the port of a gunicorn serving the app once it accepts connections; stopped
    after. `extra_arguments` go on its command line (e.g. --access-logfile PATH)."""
    port = free_port()
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("CRADLE_") and key != "DATABASE_URL"}
    environment |= {"CRADLE_SECRET_KEY": "x" * 50, "CRADLE_VAR_DIR": str(var_dir),
                    "CRADLE_ALLOWED_HOSTS": "127.0.0.1", "CRADLE_SSL_REDIRECT": "0",
                    "CRADLE_STATIC_MANIFEST": "0", "DJANGO_SETTINGS_MODULE": "cradle.settings"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:cradle.gunicorn_conf", "cradle.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning",
         *extra_arguments], env=environment, cwd=var_dir)
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)
