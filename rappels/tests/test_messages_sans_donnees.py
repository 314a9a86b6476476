"""Messages carry no personal data (issue #18, item 3): emails and notifications name no household
and show no amount, only the file's reference and a link that requires login; a notification is
checked again against its reader's scope whenever it is shown or sent."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from accompagnement.models import TempsFort
from accompagnement.tests.factories import AccompagnementFactory, ContactFactory, ObjectifFactory
from comites.tests.factories import (
    InstanceFactory,
    MembreInstanceFactory,
    PointOrdreDuJourFactory,
    SeanceFactory,
)
from logements.models import SoldeLocatif
from menages.enums import EtatParcours
from menages.models import ValidationFinanceur
from menages.selectors import resume_anonymise
from menages.tests.factories import IntervenantFactory, MenageFactory, RessourceFactory
from rappels import generation, services
from rappels.enums import StatutEnvoi
from rappels.models import PreferenceNotification, Rappel

NOW = datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC)
MARQUEUR = "Marqueurzz"
MONTANT = "1 234,56"


@pytest.fixture
def menage_marque(programme):
    """A household in support whose name is a marker, with every kind of reminder due at NOW."""
    with time_machine.travel(NOW, tick=False):
        menage = MenageFactory(
            dispositif=programme.dispositif,
            bailleur=programme.habitat,
            etat=EtatParcours.ACCOMPAGNEMENT,
            nom=f"{MARQUEUR} Hélène",
            date_information=datetime.date(2024, 1, 1),
        )
        for user, type_ in ((programme.ts_adaff, "referent"), (programme.cesf_habitat, "cesf")):
            IntervenantFactory(
                menage=menage, type=type_, utilisateur=user, date_debut=datetime.date(2026, 1, 1)
            )
        AccompagnementFactory(
            menage=menage,
            rythme="hebdomadaire",
            date_debut=datetime.date(2026, 9, 1),
            date_fin_prevue=datetime.date(2026, 12, 10),
        )
        ContactFactory(menage=menage, auteur=programme.ts_adaff, date=NOW - datetime.timedelta(days=40))
        ObjectifFactory(menage=menage, libelle=f"Soins {MARQUEUR}", date_revision=datetime.date(2026, 11, 1))
        TempsFort.objects.create(
            menage=menage, type="entree_lieux", modalite="cesf", date_prevue=NOW + datetime.timedelta(days=1)
        )
        # The threshold is a number of months of the tenant's own rent: a rent is known, well below.
        SoldeLocatif.objects.create(
            menage=menage,
            mois=datetime.date(2026, 10, 1),
            solde=Decimal("1234.56"),
            loyer_charges=Decimal("400"),
        )
        RessourceFactory(menage=menage, montant_mensuel=Decimal("1234.56"))
    return menage


def _sans_donnees(texte):
    assert MARQUEUR not in texte
    assert "Hélène" not in texte
    assert MONTANT not in texte and "1234" not in texte and "€" not in texte


def test_reminders_name_no_household_and_show_no_amount(programme, menage_marque):
    with time_machine.travel(NOW, tick=False):
        generation.generer()
    rappels = list(Rappel.objects.filter(menage=menage_marque))
    # Contact overdue, level end, objective, key moment, arrears, notice: each kind is covered.
    assert {r.type for r in rappels} >= {
        "contact_en_retard",
        "echeance_niveau",
        "revue_objectif",
        "temps_fort_demain",
        "impayes",
        "consentement",
    }
    for rappel in rappels:
        _sans_donnees(rappel.titre)
        assert rappel.titre.startswith(f"Dossier {menage_marque.reference} : ")
    impayes = next(r for r in rappels if r.type == "impayes")
    assert (
        impayes.titre
        == f"Dossier {menage_marque.reference} : le seuil d’impayés du programme est franchi (solde de 10/2026)."
    )

    # The immediate emails (« Seuil d'impayés franchi » among them) and the digest.
    PreferenceNotification.objects.create(utilisateur=programme.cesf_habitat, type="impayes", mode="resume")
    with time_machine.travel(NOW, tick=False):
        assert services.envoyer() > 0
        assert services.envoyer_resumes() == 1
    sujets = {m.subject for m in mail.outbox}
    assert "ASEA – Seuil d’impayés franchi" in sujets
    for message in mail.outbox:
        _sans_donnees(message.subject + message.body)
        assert menage_marque.reference in message.body
        # Each link opens a page of the application, behind its login.
        assert f"{settings.SITE_URL}/" in message.body


def _contexte_de_tous_les_courriels(programme, menage):
    """What every email template of the project is given, all about the marked household."""
    rappel = Rappel.objects.create(
        cle="x",
        type="impayes",
        destinataire=programme.ts_adaff,
        menage=menage,
        titre=f"Dossier {menage.reference} : le seuil d’impayés du programme est franchi.",
        lien=reverse("logements:dossier_locatif", args=[menage.pk]),
    )
    instance = InstanceFactory(dispositif=programme.dispositif)
    MembreInstanceFactory(instance=instance, utilisateur=programme.comite)
    seance = SeanceFactory(instance=instance)
    PointOrdreDuJourFactory(seance=seance, menage=menage)
    validation = ValidationFinanceur.objects.create(
        menage=menage, numero_parcours=1, financeur=programme.ddcspp, destinataire=programme.financeur
    )
    return {
        "rappel": rappel,
        "rappels": [rappel],
        "lien": settings.SITE_URL + rappel.lien,
        "site": settings.SITE_URL,
        "site_url": settings.SITE_URL,
        "desinscription": services.lien_desinscription(programme.ts_adaff, "impayes"),
        "preferences": settings.SITE_URL + reverse("rappels:preferences"),
        "seance": seance,
        "validation": validation,
        "resume": resume_anonymise(menage),
        "lien_valider": "https://exemple.invalid/valider",
        "lien_refuser": "https://exemple.invalid/refuser",
        "validite_jours": 15,
    }


def test_every_email_template_renders_without_the_household_name_nor_amounts(programme, menage_marque):
    contexte = _contexte_de_tous_les_courriels(programme, menage_marque)
    dossier = Path(settings.BASE_DIR) / "templates" / "emails"
    gabarits = sorted(p.name for p in dossier.glob("*.txt"))
    assert gabarits  # every template of the folder, a new one included
    for nom in gabarits:
        texte = render_to_string(f"emails/{nom}", contexte)
        _sans_donnees(texte)
        assert texte.strip()


def test_funders_validation_email_and_minutes_email_carry_no_personal_data(
    programme, menage_marque, django_capture_on_commit_callbacks
):
    from comites.tasks import generer_pv
    from menages.emails import send_validation_request

    contexte = _contexte_de_tous_les_courriels(programme, menage_marque)
    send_validation_request(contexte["validation"])
    generer_pv(contexte["seance"].pk)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        _sans_donnees(message.subject + message.body)
        assert not message.attachments  # the minutes (with the files' initials) stay in the app


def test_notification_out_of_scope_disappears_from_centre_and_emails(client, programme, menage_marque):
    """The household moves to the other landlord: the first landlord's CESF no longer sees its
    notifications, cannot open them, and is not emailed about it."""
    with time_machine.travel(NOW, tick=False):
        generation.generer()
    rappel = Rappel.objects.filter(destinataire=programme.cesf_habitat, menage=menage_marque).first()
    assert rappel is not None
    client.force_login(programme.cesf_habitat)
    page = client.get(reverse("rappels:centre"))
    assert rappel in page.context["page"].object_list

    menage_marque.bailleur = programme.alogea
    menage_marque.save()

    page = client.get(reverse("rappels:centre"))
    assert page.status_code == 200
    assert not any(r.menage_id == menage_marque.pk for r in page.context["page"].object_list)
    assert menage_marque.reference not in page.text
    assert (
        page.context["notifications_non_lues"]
        == Rappel.objects.filter(
            destinataire=programme.cesf_habitat, menage__isnull=True, lu_le__isnull=True
        ).count()
    )
    assert client.post(reverse("rappels:lu", args=[rappel.pk])).status_code == 404
    # The référent of the association still follows it: her notifications stay.
    client.force_login(programme.ts_adaff)
    assert any(r.menage_id == menage_marque.pk for r in client.get(reverse("rappels:centre")).context["page"])

    with time_machine.travel(NOW, tick=False):
        services.envoyer()
    assert programme.cesf_habitat.email not in [m.to[0] for m in mail.outbox]
    rappel.refresh_from_db()
    assert rappel.statut == StatutEnvoi.SANS_COURRIEL
