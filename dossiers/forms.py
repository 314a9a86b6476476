from django import forms


class RetenirNoteForm(forms.Form):
    motif = forms.CharField(
        label="Motif pour ne pas communiquer cette note",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Indiquez pourquoi cette note n’est pas communiquée au ménage."},
    )
