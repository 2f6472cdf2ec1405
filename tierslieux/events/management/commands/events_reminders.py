"""Periodic job (every hour from a timer, like `bookings_tick`): e-mail the reminder the day
before an event's date to those registered."""

from typing import Any

from django.core.management.base import BaseCommand

from tierslieux.events import services


class Command(BaseCommand):
    help = "Send the reminder e-mail to registrations whose date is tomorrow (once each)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.send_reminders()
        self.stdout.write(f"reminded={sent}")
