"""The Activité page's forms: the month shown, a day's count, a counter's CSV."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from tierslieux.activity.models import MAX_COUNT, NOTE_MAX
from tierslieux.core.validators import validate_single_line

MAX_FILE = 512 * 1024


class PeriodForm(forms.Form):
    """The last month shown (the page shows the twelve up to it)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=list(MONTHS.items()))

    def __init__(self, *args: Any, this_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(this_year + 1, this_year - 10, -1)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [(y, str(y)) for y in years]


class CountForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(label=_("People counted"), min_value=0, max_value=MAX_COUNT)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX, validators=[validate_single_line]
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Counter's file (CSV)"),
        help_text=_(
            "A date column (2026-03-02 or 02/03/2026) and a count column, named “date” and "
            "“count” (or “jour”, “entrées”…), separated by commas or semicolons."
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE:
            raise forms.ValidationError(_("The file is too large (512 KB at most)."))
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return str(raw.decode(encoding))
            except UnicodeDecodeError:
                continue
        return str(raw.decode("latin-1"))  # never fails: a byte is a character


class ConfirmImportForm(forms.Form):
    """The previewed file, sent back as is to be written."""

    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_FILE, strip=False)
