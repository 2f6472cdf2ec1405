"""The parties of the pure export tests (FEC, CSV, XLSX, SEPA), built by hand."""

from __future__ import annotations

from tierslieux.billing.documents import Party

SELLER = Party(
    name="La Fabrique Commune",
    address="3 rue des Ateliers",
    postcode="69001",
    city="Lyon",
    siren="123456789",
    siret="12345678900012",
    vat_number="FR40123456789",
    iban="FR14 2004 1010 0505 0001 3M02 606",
    bic="PSSTFRPPLYO",
    sepa_creditor_id="FR72ZZZ123456",
)
COMPANY = Party(
    name="Atelier Bois & Fer",
    address="12 avenue Jean Jaurès",
    postcode="69007",
    city="Lyon",
    siren="987654321",
    is_business=True,
    iban="DE89370400440532013000",
    bic="COBADEFFXXX",
)
PERSON = Party(name="Chloé Müller", address="5 place Bellecour", postcode="69002", city="Lyon")
