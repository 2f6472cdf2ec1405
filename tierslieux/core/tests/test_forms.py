"""The two rules of every page with a form: a refusal shows on the form, errors answer 422."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from tierslieux.core.forms import attach_error, form_status, is_invalid

pytestmark = pytest.mark.pure


class SpaceForm(forms.Form):
    name = forms.CharField()
    units = forms.IntegerField()


SpaceFormSet = forms.formset_factory(SpaceForm, extra=0)


def valid() -> SpaceForm:
    form = SpaceForm({"name": "Atelier", "units": "2"})
    assert form.is_valid()
    return form


def test_a_refusal_by_field_lands_on_its_field_and_unknown_fields_above_the_form():
    form = valid()
    attach_error(
        form,
        ValidationError({"units": ["At least one unit."], "place": ["Closed place."]}, code="bad"),
    )
    assert form.errors["units"] == ["At least one unit."]
    assert form.non_field_errors() == ["Closed place."]


def test_a_refusal_by_code_lands_on_the_field_the_view_maps_it_to():
    form = valid()
    attach_error(
        form,
        ValidationError("Too many units for this room.", code="too_many_units"),
        fields={"too_many_units": "units"},
    )
    assert form.errors["units"] == ["Too many units for this room."]
    assert not form.non_field_errors()


def test_a_refusal_without_a_mapping_or_with_an_unknown_target_goes_above_the_form():
    form = valid()
    attach_error(form, ValidationError("The place is closed.", code="closed"))
    attach_error(
        form, ValidationError("No such thing.", code="gone"), fields={"gone": "not_a_field"}
    )
    attach_error(form, ValidationError(["One.", "Two."]))
    assert form.non_field_errors() == ["The place is closed.", "No such thing.", "One.", "Two."]


def test_a_refusal_keeps_its_parameters_in_the_message():
    form = valid()
    error = ValidationError("%(n)s units at most.", code="too_many", params={"n": 3})
    attach_error(form, error, fields={"too_many": "units"})
    assert form.errors["units"] == ["3 units at most."]


def test_form_status_is_422_only_for_a_bound_form_with_errors():
    assert form_status() == 200
    assert form_status(None) == 200
    assert form_status(SpaceForm()) == 200  # unbound: a first visit
    assert form_status(valid()) == 200
    assert form_status(SpaceForm({"name": "Atelier", "units": "many"})) == 422
    assert form_status(valid(), None, SpaceForm({"units": "1"})) == 422  # any of them
    refused = valid()
    attach_error(refused, ValidationError("No."))
    assert form_status(refused) == 422  # a service's refusal counts too


def test_form_status_reads_formsets_too():
    management = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0"}
    good = SpaceFormSet({**management, "form-0-name": "A", "form-0-units": "1"})
    bad = SpaceFormSet({**management, "form-0-name": "A", "form-0-units": "x"})
    assert form_status(good) == 200
    assert form_status(bad) == 422
    assert is_invalid(bad) and not is_invalid(good) and not is_invalid(SpaceFormSet())
