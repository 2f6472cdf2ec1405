"""Periodic job (daily, shortly after midnight, from a timer): expire the credits past their
last day, in each place's own time zone. Idempotent: running it twice writes nothing twice."""

from typing import Any

from django.core.management.base import BaseCommand

from tierslieux.members.services import credits
from tierslieux.places.models import Place


class Command(BaseCommand):
    help = "Expire the credits (plan allowances, packs) whose last day has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = 0
        for place in Place.objects.filter(credit_ledger__isnull=False).distinct().order_by("pk"):
            expired += credits.expire_due(today=place.today(), place=place)
        self.stdout.write(f"expired={expired}")
