"""Notifications behind a backend setting.

The console backend is for development: it prints each message to standard output (as Django's
console e-mail backend does), never into the application log, and settings refuse it when DEBUG
is off, so production names a real provider class (SMS_BACKEND)."""

from __future__ import annotations

import sys

from django.conf import settings
from django.utils.module_loading import import_string


class ConsoleSMSBackend:
    development_only = True  # refused with DEBUG off (see settings)

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, phone: str, text: str) -> None:
        self.stream.write(f"[SMS 开发环境，未发送] {phone}: {text}\n")
        self.stream.flush()


def send_sms(phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone, text)


class DisabledSMSBackend:
    """For a deployment that sends no SMS at all (a benchmark, a site without receipt codes):
    every send is an error, so nothing is silently dropped or printed."""

    def send(self, phone: str, text: str) -> None:  # noqa: ARG002
        raise RuntimeError("SMS is disabled on this site (SMS_BACKEND=DisabledSMSBackend)")


def development_backend_error(path: str) -> str | None:
    """Why SMS_BACKEND cannot run with DEBUG off, or None: it must import and be a real
    provider class (not one marked development_only, such as the console backend)."""
    try:
        backend = import_string(path)
    except ImportError as exc:
        return f"SMS_BACKEND {path!r} cannot be imported: {exc}"
    if getattr(backend, "development_only", False):
        return (
            f"SMS_BACKEND is {path}, the development console backend, which prints messages "
            "(phones and receipt codes) instead of sending them. With DEBUG off set SMS_BACKEND "
            "to your SMS provider's backend class (dotted path)."
        )
    return None
