import pytest
from django.core.exceptions import ValidationError

from tierslieux.core.validators import (
    validate_postcode,
    validate_rna,
    validate_siren,
    validate_siret,
)


@pytest.mark.parametrize("siret", ["73282932000074", "35600000000047", "44306184100047"])
def test_valid_sirets_pass_including_la_poste(siret):
    validate_siret(siret)


@pytest.mark.parametrize("siret", ["73282932000075", "1234567890123", "7328293200007A", ""])
def test_a_wrong_check_digit_or_length_is_refused(siret):
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert error.value.code == "invalid_siret"


def test_siren_is_checked_by_luhn():
    validate_siren("732829320")
    with pytest.raises(ValidationError):
        validate_siren("732829321")


def test_rna_is_w_and_nine_characters():
    validate_rna("W751234567")
    validate_rna("W2A1002345")
    for bad in ("751234567", "W75123456", "X751234567"):
        with pytest.raises(ValidationError):
            validate_rna(bad)


def test_postcodes_follow_the_country():
    validate_postcode("11100", "FR")
    validate_postcode("3600", "BE")
    validate_postcode("08830", "ES")
    for value, country in (("1110", "FR"), ("00100", "FR"), ("36000", "BE"), ("0360", "BE")):
        with pytest.raises(ValidationError):
            validate_postcode(value, country)
