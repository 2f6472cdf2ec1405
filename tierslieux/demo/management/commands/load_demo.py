"""`tierslieux load_demo`: create or update the demo network and print its logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tierslieux.demo.loader import NETWORK_NAME, load_demo


class Command(BaseCommand):
    help = "Crée ou met à jour le réseau de démonstration (idempotent) et affiche ses identifiants."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Chargement du réseau de démonstration « {NETWORK_NAME} »…")
        summary = load_demo(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(
            f"{summary.places} lieux, {summary.spaces} espaces, {summary.equipment} équipements, "
            f"{summary.team_lines} lignes d'équipe, {summary.opening_hours} plages horaires, "
            f"{summary.opening_exceptions} fermetures exceptionnelles."
        )
        self.stdout.write(
            f"{summary.users} comptes, {summary.people} personnes, "
            f"{summary.organisations} organisations, {summary.roles} rôles."
        )
        self.stdout.write(
            f"{summary.bookings} réservations sur douze mois ({summary.requested} en attente "
            f"de validation), {summary.series} ateliers récurrents, "
            f"{summary.authorisations} habilitations machines."
        )
        self.stdout.write(
            f"{summary.events} événements publiés, {summary.registrations} inscriptions, "
            f"{summary.survey_answers} réponses aux enquêtes."
        )
        if summary.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Écritures : {summary.created} créations, {summary.updated} mises à jour, "
                    f"{summary.deleted} suppressions."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Déjà à jour : aucune écriture."))

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Identifiants de démonstration"))
        self.stdout.write(f"Mot de passe (tous les comptes) : {summary.password}")
        width = max(len(login.email) for login in summary.logins)
        role_width = max(len(login.role) for login in summary.logins)
        for login in summary.logins:
            self.stdout.write(
                f"  {login.email:<{width}}  {login.role:<{role_width}}  {login.place}"
            )
