"""Periodic job (every 5 minutes from a timer): release bookings nobody checked in, close
finished ones."""

from typing import Any

from django.core.management.base import BaseCommand

from tierslieux.bookings import services


class Command(BaseCommand):
    help = "Release bookings not checked in in time and mark finished bookings done."

    def handle(self, *args: Any, **options: Any) -> None:
        result = services.tick()
        self.stdout.write(f"released={result['released']} done={result['done']}")
