"""Prices of the catalogue and the rate card are at most a million euros: the forms name the
field, the database refuses beyond too; a product's description has a sane length."""

import pytest
from django.db import IntegrityError, transaction

from tierslieux.members.forms import ProductForm
from tierslieux.members.models import Product
from tierslieux.members.tests import factories as f


def test_the_product_form_names_a_price_beyond_a_million():
    form = ProductForm(
        data={
            "name": "Bureau",
            "description": "x" * 2001,
            "audience": "anyone",
            "price_net": "1000000,01",
            "tax_code": "vat_20",
            "family": "services",
            "account": "706000",
        },
        kind="service",
    )
    assert not form.is_valid()
    assert {"price_net", "description"} <= set(form.errors)


def test_the_database_refuses_a_price_beyond_a_million(place):
    product = f.product(place, "service")
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(price_net="1000000.01")
