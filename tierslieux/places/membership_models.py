"""The networks a place belongs to, and the identifiers other registers give it.

A place has one home network (`Place.network`), whose administrators manage it on
tierslieux; it may also be counted by other networks (the metropolitan network's place is in
the regional one too), which see it in their census, map, statistics and open data and read
its aggregated figures, nothing more. Every place is a member of its home network.

External identifiers let a census be re-imported without duplicating a place: the national
census's `ID_UNIQUE`, a Movilab page, a GoGoCarto element's id (one scheme per source)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierslieux.core import clock


class NetworkMembership(models.Model):
    """“Ce lieu fait partie du réseau”: counted in its census, shown on its map."""

    class Source(models.TextChoices):
        TEAM = "team", _("Added by the network's team")
        DECLARATION = "declaration", _("Declared by the place")
        IMPORT = "import", _("Imported")

    network = models.ForeignKey(
        "places.Network",
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    # The import's source (a mapping's name, e.g. "bdtfl-2026"), empty otherwise.
    source_name = models.CharField(_("source's name"), max_length=60, blank=True)
    joined_at = models.DateTimeField(_("joined at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("membership of a network")
        verbose_name_plural = _("memberships of networks")
        constraints = [
            models.UniqueConstraint(fields=["network", "place"], name="network_membership_unique"),
            models.CheckConstraint(
                name="network_membership_source_valid",
                condition=Q(source__in=["team", "declaration", "import"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} ∈ {self.network}"


class ExternalId(models.Model):
    """An identifier of the place in another register, unique within its scheme."""

    BDTFL = "bdtfl"  # the national census's ID_UNIQUE (France Tiers-Lieux)
    MOVILAB = "movilab"  # the place's page on movilab.org
    KNOWN = {
        BDTFL: _("National census (ID_UNIQUE)"),
        MOVILAB: _("Movilab page"),
    }

    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        on_delete=models.CASCADE,
        related_name="external_ids",
    )
    scheme = models.SlugField(_("register"), max_length=40)
    value = models.CharField(_("identifier"), max_length=300)

    class Meta:
        verbose_name = _("external identifier")
        verbose_name_plural = _("external identifiers")
        ordering = ["scheme"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="external_id_unique"),
            models.UniqueConstraint(fields=["place", "scheme"], name="external_id_one_per_scheme"),
            models.CheckConstraint(name="external_id_not_empty", condition=~Q(value="")),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"

    @property
    def label(self) -> str:
        return str(self.KNOWN.get(self.scheme, self.scheme))
