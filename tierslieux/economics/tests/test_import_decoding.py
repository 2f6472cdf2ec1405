"""An export is read in the encoding it was written in: UTF-8, a FEC in ISO 8859-15 (its €
at 0xA4), a spreadsheet's Windows-1252; a file that is no text is told so."""

from __future__ import annotations

import pytest

from tierslieux.economics.forms_actuals import decode_export

pytestmark = pytest.mark.pure

LINE = "31/01/2027;Œuvre du peintre, €;12,00;Entretien\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "iso-8859-15", "cp1252"])
def test_every_usual_encoding_reads_back_the_same_text(encoding: str) -> None:
    assert decode_export(LINE.encode(encoding)) == LINE


def test_latin_text_without_the_euro_reads_as_windows_1252() -> None:
    assert decode_export("Ménage;12,00\n".encode("latin-1")) == "Ménage;12,00\n"


def test_a_picture_is_not_text() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x81\x8d\x8f\x90\x9d"
    assert decode_export(png) is None
