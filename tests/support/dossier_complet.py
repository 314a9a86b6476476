"""A household with one record of every kind its file holds, in every app, and a way to write a
marker into every text field that retention does not keep (`menages.retention.REGISTRE`): the
retention and right-of-access tests look for the markers afterwards."""

import datetime
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.utils import timezone

from accompagnement.enums import ModaliteTempsFort, Rythme, SituationSortie, TypeTempsFort
from accompagnement.models import (
    ChangementNiveau,
    ChangementRythme,
    HistoriqueObjectif,
    Orientation,
    SuiviPostSortie,
    TempsFort,
)
from accompagnement.tests.factories import AccompagnementFactory, ContactFactory, ObjectifFactory
from comites.enums import Decision, TypePoint
from comites.models import AvisMembre, DemandeComite
from comites.tests.factories import (
    InstanceFactory,
    MembreInstanceFactory,
    PointOrdreDuJourFactory,
    SeanceFactory,
)
from comptes.enums import CodeNiveau
from dossiers.models import DemandeAcces, NoteRetenue
from logements.enums import CanalAttribution, EtapeProcedure, TypeBail, TypeReclamation
from logements.models import (
    AideFsl,
    Attribution,
    Bail,
    EtapeExpulsion,
    PlanApurement,
    Reclamation,
    SignalementGardien,
    SoldeLocatif,
)
from logements.tests.factories import LogementFactory
from menages import retention
from menages.enums import EtatParcours
from menages.models import Dette, EvenementParcours, ValidationFinanceur
from menages.tests.factories import (
    DiagnosticFactory,
    IntervenantFactory,
    MembreFactory,
    MenageFactory,
    PreDiagnosticFactory,
    RessourceFactory,
)
from rappels.models import Rappel

JOUR = datetime.date(2024, 3, 4)


def dossier_complet(programme, **menage):
    """A closed household of Habitat Audois followed by the ADAFF, with a record of each kind."""
    ts = programme.ts_adaff
    menage = MenageFactory(
        dispositif=programme.dispositif,
        bailleur=programme.habitat,
        etat=EtatParcours.CLOS,
        date_saisine=datetime.date(2023, 9, 1),
        **menage,
    )
    MembreFactory(menage=menage, date_naissance=datetime.date(1984, 5, 17))
    IntervenantFactory(menage=menage, utilisateur=ts, date_debut=datetime.date(2023, 9, 1))
    IntervenantFactory(
        menage=menage, utilisateur=None, organisation=programme.afc, date_debut=datetime.date(2023, 9, 1)
    )
    RessourceFactory(menage=menage)
    Dette.objects.create(menage=menage, creancier="EDF", montant=Decimal("300"))
    EvenementParcours.objects.create(
        menage=menage, numero_parcours=1, etat_avant=EtatParcours.ACCOMPAGNEMENT, etat_apres=EtatParcours.CLOS,
        date=timezone.make_aware(datetime.datetime(2024, 10, 15, 12)), motif="Fin", auteur=ts,
    )  # fmt: skip
    PreDiagnosticFactory(menage=menage, auteur=ts, organisation=programme.adaff)
    ValidationFinanceur.objects.create(menage=menage, numero_parcours=1, financeur=programme.ddcspp)
    DiagnosticFactory(menage=menage, auteur=ts)
    accompagnement = AccompagnementFactory(
        menage=menage, date_debut=datetime.date(2023, 11, 1), date_fin_prevue=datetime.date(2024, 10, 31),
        date_fin=datetime.date(2024, 10, 15), motif_sortie="autonomie", situation_sortie="maintien",
    )  # fmt: skip
    ChangementNiveau.objects.create(
        accompagnement=accompagnement, nouveau_niveau=CodeNiveau.NIVEAU_2, date_effet=datetime.date(2023, 11, 1),
        date_decision=datetime.date(2023, 10, 20), date_fin_prevue=datetime.date(2024, 10, 31), origine="entree", motif="Entrée", auteur=ts,
    )  # fmt: skip
    ChangementRythme.objects.create(
        accompagnement=accompagnement, rythme=Rythme.HEBDOMADAIRE, date=JOUR, auteur=ts
    )
    SuiviPostSortie.objects.create(
        accompagnement=accompagnement, echeance_mois=6, date=datetime.date(2025, 4, 15),
        situation=SituationSortie.MAINTIEN, auteur=ts,
    )  # fmt: skip
    objectif = ObjectifFactory(menage=menage, auteur=ts, date_debut=JOUR)
    HistoriqueObjectif.objects.create(
        objectif=objectif, statut=objectif.statut, libelle="Ancien libellé", auteur=ts
    )
    Orientation.objects.create(menage=menage, partenaire="CSAPA", motif="Soins", date=JOUR, auteur=ts)
    ContactFactory(
        menage=menage,
        auteur=ts,
        duree_minutes=60,
        date=timezone.make_aware(datetime.datetime(2024, 9, 1, 10)),
    )
    TempsFort.objects.create(
        menage=menage, type=TypeTempsFort.VISITE, date_prevue=timezone.make_aware(datetime.datetime(2024, 1, 8, 10)),
        modalite=ModaliteTempsFort.AVEC_ASSOCIATION,
    )  # fmt: skip
    from accompagnement.models import Document

    Document.objects.create(
        menage=menage, type="justificatif", titre="Avis", fichier="documents/absent.pdf", nom_original="avis.pdf",
        format="pdf", taille=10, empreinte="0" * 64, auteur=ts,
    )  # fmt: skip
    logement = LogementFactory(bailleur=programme.habitat)
    Reclamation.objects.create(menage=menage, type=TypeReclamation.TECHNIQUE, date=JOUR, description="Fuite")
    SignalementGardien.objects.create(
        menage=menage, nature=TypeReclamation.TROUBLES_VOISINAGE, date=JOUR, texte="Bruit",
        auteur=programme.gardien_habitat,
    )  # fmt: skip
    SoldeLocatif.objects.create(menage=menage, mois=datetime.date(2024, 3, 1), solde=Decimal("412.50"))
    PlanApurement.objects.create(
        menage=menage, date_debut=JOUR, montant_dette=Decimal("412.50"), mensualite=Decimal("50")
    )
    AideFsl.objects.create(menage=menage, date_demande=JOUR, montant=Decimal("200"))
    EtapeExpulsion.objects.create(menage=menage, etape=EtapeProcedure.SAISINE_CCAPEX, date=JOUR)
    attribution = Attribution.objects.create(
        menage=menage, logement=logement, canal=CanalAttribution.ROTATION, date_proposition=JOUR,
        date_bail=datetime.date(2024, 4, 1), auteur=ts,
    )  # fmt: skip
    Bail.objects.create(
        menage=menage, attribution=attribution, type=TypeBail.DIRECT, date_signature=datetime.date(2024, 4, 1)
    )
    instance = InstanceFactory(dispositif=programme.dispositif)
    seance = SeanceFactory(
        instance=instance, date=timezone.make_aware(datetime.datetime(2023, 10, 20, 14)), tenue=True
    )
    point = PointOrdreDuJourFactory(
        seance=seance, menage=menage, type=TypePoint.NOUVELLE_PROPOSITION, decision=Decision.VALIDER,
        decision_niveau=CodeNiveau.NIVEAU_2, decide_le=seance.date, decide_par=programme.comite,
    )  # fmt: skip
    AvisMembre.objects.create(
        point=point,
        membre=MembreInstanceFactory(instance=instance, utilisateur=programme.comite),
        avis="favorable",
    )
    DemandeComite.objects.create(
        menage=menage, type=TypePoint.NOUVELLE_PROPOSITION, motif="Entrée", auteur=ts, point=point
    )
    Rappel.objects.create(
        cle=f"test:{menage.pk}", type="contact_en_retard", destinataire=ts, menage=menage, titre="Rappel"
    )
    # An earlier right-of-access request, released, with a note withheld.
    demande = DemandeAcces.objects.create(
        menage=menage, demandee_par=ts, publiee_le=timezone.now(), publiee_par=ts, fichier="acces/ancien.pdf"
    )
    NoteRetenue.objects.create(demande=demande, contact=menage.contacts.get(), motif="Tiers", retenue_par=ts)
    return menage


def valeur(field, marque: str):
    """`marque` as a value `field` accepts."""
    if isinstance(field, models.JSONField):
        return [marque]
    if isinstance(field, models.EmailField):
        return f"{marque}@exemple.fr"
    if isinstance(field, models.FileField):
        return f"documents/{marque}.pdf"
    return marque[: field.max_length] if field.max_length else marque


def planter(menage, marque) -> dict[str, str]:
    """Writes a marker into every text field of the household's records that retention does not
    keep, through save() (so that the audit trail holds it too). `marque` is a string, or a
    function of (model label, field name) giving one marker per field. Returns the markers by
    "label.field"."""
    plantes = {}
    for modele in retention.REGISTRE:
        if not modele.menage:
            continue
        champs = [nom for nom, regle in modele.champs.items() if regle.action != retention.CONSERVER]
        if not champs:
            continue
        model = apps.get_model(modele.label)
        records = list(model._default_manager.filter(**{modele.menage: menage.pk}))
        assert records, f"the complete file has no {modele.label}"
        for record in records:
            for nom in champs:
                texte = marque(modele.label, nom) if callable(marque) else marque
                setattr(record, model._meta.get_field(nom).attname, valeur(model._meta.get_field(nom), texte))
                plantes[f"{modele.label}.{nom}"] = texte
            record.save(update_fields=champs)
    return plantes
