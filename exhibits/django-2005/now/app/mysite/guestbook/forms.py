from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mysite.guestbook.models import Entry


class Text(forms.CharField):
    """A CharField that refuses a JSON number or list instead of str()-ing it."""

    def to_python(self, value: Any) -> str:
        if value is not None and not isinstance(value, str):
            raise ValidationError("Enter a string.", code="invalid")
        if value is not None and any("\ud800" <= char <= "\udfff" for char in value):
            # Valid JSON ("\ud800"), but not text that SQLite can store as UTF-8.
            raise ValidationError("Enter Unicode text, without lone surrogates.", code="invalid")
        return str(super().to_python(value))


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["name", "message"]
        field_classes = {"name": Text, "message": Text}
