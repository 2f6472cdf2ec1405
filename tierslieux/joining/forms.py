"""Forms of joining. They validate input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tierslieux.accounts.models import Person, User
from tierslieux.core.validators import validate_single_line
from tierslieux.places.models import Place, PlaceRole

ROLE_CHOICES = [(r.value, r.label) for r in PlaceRole.Role if r in PlaceRole.PERSON_ROLES]


def _name(label: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=100, validators=[validate_single_line])


class InvitationForm(forms.Form):
    """A person of the place, or a newcomer's address and name; the role (Member unless
    chosen otherwise)."""

    person = forms.ModelChoiceField(
        label=_("Person of the place"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— someone new (fill in below) —"),
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    first_name = forms.CharField(
        label=_("First name"), max_length=100, required=False, validators=[validate_single_line]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, required=False, validators=[validate_single_line]
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=PlaceRole.Role.MEMBER)
    # Set by the confirmation page: inviting a coordinator asks first.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(place_roles__place=place).distinct().order_by("last_name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person") is None:
            for name in ("email", "first_name", "last_name"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed to invite someone new."))
        return data


class JoinSettingsForm(forms.Form):
    signup_open = forms.BooleanField(
        label=_("Visitors may ask to join from the place’s public page"), required=False
    )
    auto_accept = forms.BooleanField(
        label=_("Accept their requests at once (otherwise the team decides)"),
        required=False,
        help_text=_("A request is accepted once its address is confirmed."),
    )


class _PasswordsForm(forms.Form):
    """Two fields for a new password, checked with the site's password rules."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def user_for_checks(self) -> User:
        return User(email=self.data.get("email", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            try:
                password_validation.validate_password(one, self.user_for_checks())
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class SetPasswordForm(_PasswordsForm):
    """The invited person chooses their password."""

    def __init__(self, *args: Any, email: str, full_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email, self.full_name = email, full_name

    def user_for_checks(self) -> User:
        return User(email=self.email, full_name=self.full_name)


class SignupForm(_PasswordsForm):
    first_name = _name(_("First name"))
    last_name = _name(_("Last name"))
    email = forms.EmailField(label=_("E-mail address"))

    field_order = ["first_name", "last_name", "email", "password1", "password2"]


class ProfileForm(forms.Form):
    first_name = _name(_("First name"))
    last_name = _name(_("Last name"))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail address"))
