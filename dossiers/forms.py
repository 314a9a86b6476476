from pathlib import PurePath

from django import forms

from comptes.importation import TAILLE_MAX_IMPORT, typographie
from comptes.models import Dispositif


class RetenirNoteForm(forms.Form):
    motif = forms.CharField(
        label="Motif pour ne pas communiquer cette note",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Indiquez pourquoi cette note n’est pas communiquée au ménage."},
    )


class ImportMenagesForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier à importer (Excel, CSV ou archive .zip de fichiers CSV)",
        help_text=typographie(
            "Un classeur .xlsx aux feuilles « Ménages », « Membres » et « Contacts » (partez du modèle), "
            "une archive .zip de trois fichiers CSV nommés comme ces feuilles, ou un seul fichier .csv "
            "(les ménages seuls). 20 Mo au plus."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.zip,text/csv"}),
        error_messages={"required": "Choisissez le fichier à importer."},
    )

    def __init__(self, *args, dispositifs, **kwargs):
        super().__init__(*args, **kwargs)
        self.dispositifs = dispositifs
        if len(dispositifs) > 1:
            self.fields["dispositif"] = forms.ModelChoiceField(
                label="Programme dans lequel les ménages sont créés",
                queryset=Dispositif.objects.filter(pk__in=[d.pk for d in dispositifs]).order_by("nom"),
                empty_label=None,
                # The first one given: the current programme (views_import._dispositifs).
                initial=dispositifs[0].pk,
            )
            self.order_fields(["dispositif", "fichier"])

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if PurePath(fichier.name).suffix.lower() not in (".xlsx", ".csv", ".zip", ".txt"):
            raise forms.ValidationError(
                "Ce type de fichier n’est pas accepté : déposez un classeur .xlsx, un fichier .csv ou une "
                "archive .zip de fichiers CSV."
            )
        if fichier.size > TAILLE_MAX_IMPORT:
            raise forms.ValidationError("Le fichier dépasse 20 Mo : découpez-le en plusieurs fichiers.")
        return fichier

    def dispositif_choisi(self):
        return self.cleaned_data.get("dispositif") or self.dispositifs[0]
