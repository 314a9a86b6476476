"""Retention (CNIL, social and medico-social sector): a closed file with no activity for the
programme's retention period is anonymised. Names, contact details, free-text notes and documents
go; what the statistics need stays (dates, steps, levels, durations, scores, amounts), so that the
funder reports of past periods give the same figures."""

import datetime

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from menages.enums import EtatParcours
from menages.models import Menage

ANONYME = "—"


def derniere_activite(menage) -> datetime.date:
    """The latest of the household's contacts, path events and support end."""
    dates = [menage.date_saisine]
    for value in (
        menage.contacts.aggregate(m=Max("date"))["m"],
        menage.evenements.aggregate(m=Max("date"))["m"],
    ):
        if value:
            dates.append(timezone.localtime(value).date())
    fin = menage.accompagnements.aggregate(m=Max("date_fin"))["m"]
    if fin:
        dates.append(fin)
    return max(dates)


def a_anonymiser(now=None):
    """(household, last activity) for the closed files past the retention period."""
    today = timezone.localdate(now or timezone.now())
    resultat = []
    for menage in Menage.objects.filter(
        etat__in=[EtatParcours.CLOS, EtatParcours.REFUSE], anonymise_le__isnull=True
    ).select_related("dispositif"):
        derniere = derniere_activite(menage)
        if derniere <= today - relativedelta(months=menage.dispositif.retention_mois):
            resultat.append((menage, derniere))
    return resultat


@transaction.atomic
def anonymiser(menage: Menage) -> None:
    """Remove what identifies the household or tells about it in free text; keep the figures.
    The audit trail of the file, which holds the old values, goes too; the anonymisation itself
    is recorded."""
    from accompagnement.models import Contact, Document, Objectif, Orientation, TempsFort

    with disable_auditlog():
        Menage.objects.filter(pk=menage.pk).update(
            nom=f"Ménage anonymisé {menage.reference}",
            nom_recherche=f"menage anonymise {menage.reference.lower()}",
            adresse="",
            telephone="",
            email="",
            orienteur="",
            situation_logement_precision="",
        )
        for membre in menage.membres.all():
            membre.nom = ANONYME
            membre.prenom = ANONYME
            # The year of birth is enough for the statistics (age bands).
            if membre.date_naissance:
                membre.date_naissance = membre.date_naissance.replace(month=1, day=1)
            membre.save()
        Menage.objects.filter(pk=menage.pk).rafraichir_recherche()
        menage.ressources.update(precision="")
        menage.dettes.update(creancier=ANONYME)
        menage.evenements.update(motif="")
        menage.pre_diagnostics.update(
            situation=ANONYME, difficultes=ANONYME, dispositifs_mobilises="", motif_orientation=ANONYME
        )
        menage.validations.update(commentaire="")
        menage.diagnostics.update(
            **{
                f"observations_{d}": ""
                for d in ("logement", "budget", "droits", "sante", "vie_sociale", "insertion")
            },
            objectifs_envisages="",
        )
        Contact.objects.filter(menage=menage).update(
            note="", prochaine_etape="", lieu="", autres_participants=""
        )
        Objectif.objects.filter(menage=menage).update(libelle=ANONYME, actions="")
        Orientation.objects.filter(menage=menage).update(partenaire=ANONYME, motif=ANONYME)
        TempsFort.objects.filter(menage=menage).update(participants="", commentaire="")
        for document in Document.objects.filter(menage=menage):
            document.fichier.delete(save=False)
            document.delete()
        Intervenant = menage.intervenants.model
        Intervenant.objects.filter(menage=menage).update(nom_externe="", fonction="")
        _purge_audit(menage)
    Menage.objects.filter(pk=menage.pk).update(anonymise_le=timezone.now())
    LogEntry.objects.log_create(
        Menage.objects.get(pk=menage.pk),
        action=LogEntry.Action.UPDATE,
        changes={"anonymise_le": ["", "anonymisation (durée de conservation écoulée)"]},
    )


def _purge_audit(menage):
    LogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Menage), object_id=menage.pk)
        | Q(additional_data__menage_id=menage.pk)
    ).delete()
