"""The catalogue editor and the rate card of the back office.

Products are created, edited and archived (never deleted: invoices and subscriptions refer to
them) through `services.catalogue`. The rate card is one grid for all bookable spaces, saved
in one transaction: a refused cell refuses the whole grid.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierslieux.billing.models import Family
from tierslieux.billing.tax import RULES
from tierslieux.core.money import round_money
from tierslieux.members.forms import ProductForm, RateGridForm
from tierslieux.members.models import Product, RoomRate
from tierslieux.members.services import catalogue
from tierslieux.places.backoffice import Perm, attach_error, place_view, render
from tierslieux.places.models import Place

Kind = Product.Kind
# The catalogue's sections, in the order a coordinator thinks of them.
SECTIONS = [
    (Kind.MEMBERSHIP, _("Membership fees")),
    (Kind.PLAN, _("Coworking plans")),
    (Kind.PASS, _("Passes")),
    (Kind.PACK, _("Packs of credits")),
    (Kind.TICKET, _("Event tickets")),
    (Kind.SERVICE, _("Other services")),
]


def gross(price_net: Decimal, tax_code: str) -> Decimal:
    """The price including tax of one unit (the invoice computes VAT on totals)."""
    rate = RULES[tax_code].rate if tax_code in RULES else Decimal("0")
    return round_money(price_net * (Decimal("100") + rate) / Decimal("100"))


@place_view(Perm.MANAGE_BILLING)
def catalogue_page(request: HttpRequest, place: Place) -> HttpResponse:
    """Every product by kind, with its prices excluding and including tax and its tax rule."""
    products = list(Product.objects.filter(place=place).order_by("position", "name", "id"))
    families = dict(Family.choices)
    sections: list[dict[str, Any]] = []
    for kind, title in SECTIONS:
        rows = [
            {
                "product": p,
                "rule": RULES.get(p.tax_code),
                "gross": gross(p.price_net, p.tax_code),
                "min_gross": (
                    gross(p.min_price_net, p.tax_code) if p.min_price_net is not None else None
                ),
                "family": families.get(p.family, p.family),
            }
            for p in products
            if p.kind == kind
        ]
        sections.append({"kind": kind, "title": title, "rows": rows})
    return render(request, "members/manage/catalogue.html", {"place": place, "sections": sections})


def _kind(request: HttpRequest) -> str | None:
    kind = request.GET.get("kind", "")
    return kind if kind in Kind.values else None


@place_view(Perm.MANAGE_BILLING)
def product_new(request: HttpRequest, place: Place) -> HttpResponse:
    kind = _kind(request)
    if kind is None:  # first choose what to sell
        return render(
            request,
            "members/manage/product_form.html",
            {"place": place, "kinds": SECTIONS, "form": None},
        )
    form = ProductForm(request.POST or None, kind=kind, initial=ProductForm.initial_for(kind))
    if request.method == "POST" and form.is_valid():
        try:
            product = catalogue.create_product(
                actor=request.user, place=place, kind=kind, **form.changes()
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is in the catalogue.") % {"name": product})
            return redirect("members_manage:catalogue", slug=place.slug)
    return render(
        request,
        "members/manage/product_form.html",
        {"place": place, "form": form, "kind": Kind(kind), "product": None},
        form,
    )


@place_view(Perm.MANAGE_BILLING)
def product_edit(request: HttpRequest, place: Place, product_id: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=product_id, place=place)
    form = ProductForm(
        request.POST or None,
        kind=product.kind,
        editing=True,
        initial=ProductForm.initial_from(product),
    )
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.update_product(actor=request.user, product=product, **form.changes())
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request, _("“%(name)s” is saved.") % {"name": form.cleaned_data["name"]}
            )
            return redirect("members_manage:catalogue", slug=place.slug)
    return render(
        request,
        "members/manage/product_form.html",
        {"place": place, "form": form, "kind": Kind(product.kind), "product": product},
        form,
    )


@require_POST
@place_view(Perm.MANAGE_BILLING)
def product_archive(request: HttpRequest, place: Place, product_id: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=product_id, place=place)
    try:
        catalogue.archive_product(actor=request.user, product=product)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(name)s” is archived: no longer on sale; what was sold stays.")
            % {"name": product},
        )
    return redirect("members_manage:catalogue", slug=place.slug)


# --- Rate card ------------------------------------------------------------------------------


class _Refused(Exception):
    """Raised inside the grid's transaction to roll back every cell already saved."""


@place_view(Perm.MANAGE_BILLING)
def rates(request: HttpRequest, place: Place) -> HttpResponse:
    """The room-hire rates of every bookable space, edited in one form."""
    spaces = list(place.spaces.open_for_booking().order_by("name", "id"))
    existing = list(RoomRate.objects.filter(place=place, space__in=spaces))
    form = RateGridForm(request.POST or None, spaces=spaces, rates=existing)
    if request.method == "POST" and form.is_valid():
        to_set, to_delete = form.edits()
        try:
            with transaction.atomic():
                _save_grid(request, form, to_set, to_delete)
        except _Refused:
            pass
        else:
            if to_set or to_delete:
                messages.success(request, _("The rate card is saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("members_manage:rates", slug=place.slug)
    return render(
        request,
        "members/manage/rates.html",
        {
            "place": place,
            "form": form,
            "grid": form.bound_rows(),
            "audiences": RoomRate.Audience.choices,
            "units": RoomRate.Unit.choices,
        },
        form,
    )


def _save_grid(
    request: HttpRequest,
    form: RateGridForm,
    to_set: list[dict[str, Any]],
    to_delete: list[tuple[str, RoomRate]],
) -> None:
    for key, rate in to_delete:
        try:
            catalogue.delete_room_rate(actor=request.user, rate=rate)
        except ValidationError as error:
            form.add_error(key, error.messages)
            raise _Refused from error
    for item in to_set:
        try:
            catalogue.set_room_rate(
                actor=request.user,
                space=item["space"],
                audience=item["audience"],
                unit=item["unit"],
                price_net=item["price_net"],
                tax_code=item["tax_code"],
            )
        except ValidationError as error:
            form.add_error(item["key"], error.messages)
            raise _Refused from error
