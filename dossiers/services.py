"""Writes on the household's right of access. Each service runs in a transaction and checks the
rule it enforces; django-auditlog records every change with its author (a withheld note with its
reason, the release)."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dossiers import selectors
from dossiers.models import DemandeAcces, NoteRetenue


@transaction.atomic
def demander_acces(*, menage, auteur) -> DemandeAcces:
    """The household asks for its file: the export waits for the data protection officer's review.
    A request still under review is reused rather than doubled."""
    en_cours = DemandeAcces.objects.a_relire().filter(menage=menage).first()
    return en_cours or DemandeAcces.objects.create(menage=menage, demandee_par=auteur)


def _verifier_ouverte(demande):
    if demande.publiee:
        raise ValidationError("Ce dossier a déjà été remis au ménage : la relecture est close.")


@transaction.atomic
def retenir_note(*, demande: DemandeAcces, contact, motif: str, auteur) -> NoteRetenue:
    """Keeps one note of the household out of its export, with the written reason."""
    _verifier_ouverte(demande)
    motif = motif.strip()
    if not motif:
        raise ValidationError({"motif": "Indiquez pourquoi cette note n’est pas communiquée au ménage."})
    if contact.menage_id != demande.menage_id:
        raise ValidationError("Cette note n’appartient pas au dossier de ce ménage.")
    note, _ = NoteRetenue.objects.update_or_create(
        demande=demande, contact=contact, defaults={"motif": motif, "retenue_par": auteur}
    )
    return note


@transaction.atomic
def retablir_note(*, demande: DemandeAcces, note: NoteRetenue) -> None:
    """The note will be in the export after all."""
    _verifier_ouverte(demande)
    note.delete()


@transaction.atomic
def publier(*, demande: DemandeAcces, auteur) -> DemandeAcces:
    """Releases the export: the PDF of the whole file, without the withheld notes, is produced
    once and kept as it was given to the household."""
    demande = (
        DemandeAcces.objects.select_for_update(of=("self",))
        .select_related("menage__commune")
        .get(pk=demande.pk)
    )
    _verifier_ouverte(demande)
    retenues = set(demande.notes_retenues.values_list("contact_id", flat=True))
    pdf = selectors.dossier_pdf(demande.menage, {"accompagnement.Contact": frozenset(retenues)})
    demande.fichier.save(f"dossier-{demande.menage.reference}.pdf", ContentFile(pdf), save=False)
    demande.publiee_le = timezone.now()
    demande.publiee_par = auteur
    demande.save()
    return demande
