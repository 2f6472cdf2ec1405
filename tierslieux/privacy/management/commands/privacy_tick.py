"""Periodic job (daily, from a timer): the retention rules of personal data
(`privacy.services.tick`, periods in `PRIVACY_RETENTION`). Idempotent."""

from typing import Any

from django.core.management.base import BaseCommand

from tierslieux.privacy import services


class Command(BaseCommand):
    help = "Delete stale sign-up requests and registrations; anonymise old visitors' ones."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = services.tick()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
