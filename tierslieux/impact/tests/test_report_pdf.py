"""The yearly report's PDF renders with its figures: the text extracted from the funder's
PDF names the place, the year, a verdict, a figure written in French and the method; the
public PDF leaves out the revenue and the private testimony. The PDFs are built once for the
module (WeasyPrint takes a second or two a document)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation
from pypdf import PdfReader

from tierslieux.billing.tests import factories as bf
from tierslieux.impact import report_pdf
from tierslieux.impact.report import build_report
from tierslieux.impact.tests import report_factories as rf
from tierslieux.places.tests import factories as pf

YEAR = 2025
PRIVATE_QUOTE = "Je préfère que cela reste entre nous."
PUBLIC_QUOTE = "Ici j'ai retrouvé du travail."


def _plain(text: str) -> str:
    """French spaces (no-break, narrow) as plain ones, for comparing."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture(scope="module")
def pdfs(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The funder's and the public PDFs of one place's year, with their page counts."""
    with django_db_blocker.unblock(), transaction.atomic(), translation.override("fr"):
        place = bf.place(name="La Fabrique", latitude=Decimal("43.184"), longitude=Decimal("3.004"))
        pf.place(name="Le Voisin", latitude=Decimal("43.1"), longitude=Decimal("2.95"))
        rf.assessment(place, YEAR, public=True, by=pf.coordinator(place))
        rf.testimony(
            place, PUBLIC_QUOTE, public=True, said_on=date(YEAR, 3, 1), impact="local_sectors"
        )
        rf.testimony(
            place, PRIVATE_QUOTE, public=False, said_on=date(YEAR, 4, 1), impact="local_sectors"
        )
        rf.commitments(place, date(YEAR - 1, 6, 1), {"openness": 1})
        rf.commitments(place, date(YEAR, 6, 1), {"openness": 3})
        rf.milestone(place, date(2019, 9, 1), "Ouverture du lieu")
        found = {}
        for name, public in (("funder", False), ("public", True)):
            pdf = report_pdf.render_pdf(
                build_report(place, YEAR, public=public), "http://testserver/"
            )
            found[name] = pdf
        yield {**found, "pages": len(PdfReader(io.BytesIO(found["funder"])).pages)}
        transaction.set_rollback(True)


def test_the_funders_pdf_carries_the_report(pdfs) -> None:
    text = _text(pdfs["funder"])
    assert pdfs["funder"].startswith(b"%PDF")
    assert "Bilan d’impact 2025 · La Fabrique" in text
    assert "Non observé" in text and "Oui" in text
    assert "Recettes 45 678,50 €" in _plain(text)
    assert "Méthode Période : du 1er janvier 2025 au 31 décembre 2025." in _plain(text)
    assert "Méthode de calcul : Personnes pointées aux dates tenues" in _plain(text)
    assert "Réunion d'équipe du 15 janvier" in text
    assert PUBLIC_QUOTE in text and PRIVATE_QUOTE not in text
    assert "Le Voisin" in text  # the territory map and its list
    assert "Chiffre sans méthode documentée." in text
    assert pdfs["pages"] >= 2


def test_the_public_pdf_leaves_out_the_money_and_the_private(pdfs) -> None:
    text = _text(pdfs["public"])
    assert "Bilan d’impact 2025 · La Fabrique" in text and "Oui" in text
    assert "1 234" in _plain(text)
    assert PUBLIC_QUOTE in text and PRIVATE_QUOTE not in text
    assert "Recettes" not in text and "45 678" not in _plain(text)
    assert "Cette version publique ne montre pas les recettes du lieu." in text
