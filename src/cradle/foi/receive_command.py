"""`cradle foi receive-mail`: run the reply receiver (mail_receiver.py) until stopped."""

from __future__ import annotations

import signal
import threading

from django.conf import settings
from django.core.management.base import CommandError

from . import mail_receiver


def receive_mail(command, *, host: str | None, port: int | None) -> None:
    if not settings.FOI_REPLY_DOMAIN:
        raise CommandError("CRADLE_FOI_REPLY_DOMAIN is not set: it is the domain replies are "
                           "addressed to (for example replies.cradle.example.org).")
    receiver = mail_receiver.controller(host=host, port=port)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    receiver.start()
    command.stdout.write(
        f"Receiving FOI replies for {settings.FOI_REPLY_LOCAL}+…@{settings.FOI_REPLY_DOMAIN} "
        f"on {receiver.hostname}:{receiver.port} (Ctrl-C stops)")
    try:
        stopped.wait()
    finally:
        receiver.stop()
