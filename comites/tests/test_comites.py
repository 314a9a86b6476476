import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accompagnement.models import Accompagnement
from accompagnement.tests.factories import AccompagnementFactory, ContactFactory
from comites import services
from comites.models import DemandeComite, MembreInstance, PointOrdreDuJour
from comites.tests.factories import SeanceFactory
from comptes.tests.factories import DispositifFactory
from menages.enums import EtatParcours
from menages.tests.factories import DiagnosticFactory, IntervenantFactory, MenageFactory


def proposition(programme, nom="Durand Hélène", niveau="niveau_2"):
    menage = MenageFactory(
        dispositif=programme.dispositif,
        bailleur=programme.habitat,
        propose_au_comite=True,
        nom=nom,
    )
    DiagnosticFactory(
        menage=menage, auteur=programme.ts_adaff, niveau_propose=niveau, observations_sante="Suivi CSAPA"
    )
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    return menage


def all_present(seance):
    services.enregistrer_presences(seance=seance, presents=seance.instance.membres.all())


def test_planning_proposes_the_sessions_of_the_convention(comite):
    debut = comite.dispositif.date_debut
    seances = services.proposer_seances(instance=comite, a_partir_du=debut)
    assert len(seances) == 17  # every 2 months over 36 months, after the start
    assert services.proposer_seances(instance=comite, a_partir_du=debut) == []


def test_agenda_is_built_from_the_files(programme, seance):
    nouveau = proposition(programme)
    echeance = AccompagnementFactory(
        menage=MenageFactory(dispositif=programme.dispositif, en_accompagnement=True),
        date_fin_prevue=timezone.localdate() + datetime.timedelta(days=35),  # within 30 days of the session
    )
    AccompagnementFactory(
        menage=MenageFactory(dispositif=programme.dispositif, en_accompagnement=True),
        date_fin_prevue=timezone.localdate() + datetime.timedelta(days=90),  # not yet
    )
    demandeur = AccompagnementFactory(
        menage=MenageFactory(dispositif=programme.dispositif, en_accompagnement=True)
    )
    DemandeComite.objects.create(
        menage=demandeur.menage, type="iml", motif="Impayés répétés", auteur=programme.ts_adaff
    )
    MenageFactory(dispositif=DispositifFactory(code="autre"), propose_au_comite=True)  # other programme

    points = services.construire_ordre_du_jour(seance=seance)
    assert {(p.menage_id, p.type) for p in points} == {
        (nouveau.pk, "nouvelle_proposition"),
        (echeance.menage_id, "echeance"),
        (demandeur.menage_id, "iml"),
    }
    assert PointOrdreDuJour.objects.get(menage=nouveau).niveau_propose == "niveau_2"
    assert services.construire_ordre_du_jour(seance=seance) == []  # not twice


def test_secretary_reorders_adds_and_removes_items(client, programme, seance):
    a = proposition(programme, "A")
    proposition(programme, "B")
    services.construire_ordre_du_jour(seance=seance)
    pa = PointOrdreDuJour.objects.get(menage=a)
    client.force_login(programme.ts_adaff)
    client.post(reverse("comites:point_deplacer", args=[pa.pk]), {"sens": "descendre"})
    assert [p.menage.nom for p in seance.points.order_by("ordre")] == ["B", "A"]
    for sens in ("", "n'importe", "MONTER"):  # a forged action changes nothing
        assert client.post(reverse("comites:point_deplacer", args=[pa.pk]), {"sens": sens}).status_code == 400
    assert [p.menage.nom for p in seance.points.order_by("ordre")] == ["B", "A"]
    client.post(reverse("comites:point_deplacer", args=[pa.pk]), {"sens": "retirer"})
    assert list(seance.points.values_list("menage__nom", flat=True)) == ["B"]
    client.post(
        reverse("comites:point_ajouter", args=[seance.pk]), {"reference": a.reference, "type": "autre"}
    )
    assert seance.points.count() == 2
    client.force_login(programme.financeur)  # a plain member cannot
    assert client.post(reverse("comites:point_deplacer", args=[pa.pk]), {"sens": "monter"}).status_code in (
        403,
        404,
    )


def test_quorum(programme, seance):
    assert services.quorum(seance) == (0, 2, False)
    services.enregistrer_presences(
        seance=seance, presents=MembreInstance.objects.filter(utilisateur=programme.comite)
    )
    assert services.quorum(seance) == (1, 2, False)
    all_present(seance)
    assert services.quorum(seance) == (4, 2, True)


def test_decision_refused_without_quorum(programme, seance):
    proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    with pytest.raises(services.ActionImpossible, match="quorum"):
        services.decider(point=point, decision="valider", niveau="niveau_2", auteur=programme.comite)


def test_member_changes_opinion_before_the_decision_not_after(programme, seance):
    proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    services.donner_avis(point=point, user=programme.financeur, avis="defavorable")
    services.donner_avis(point=point, user=programme.financeur, avis="favorable", commentaire="Après échange")
    assert point.avis.get().avis == "favorable"
    all_present(seance)
    services.decider(point=point, decision="valider", niveau="niveau_2", auteur=programme.comite)
    with pytest.raises(services.ActionImpossible, match="ne peuvent plus changer"):
        services.donner_avis(point=point, user=programme.financeur, avis="abstention")


def test_member_of_another_programme_cannot_vote(client, programme, seance):
    from comites.models import Instance

    autre = DispositifFactory(code="autre", nom="Autre")
    instance = Instance.objects.create(dispositif=autre, type="comite_suivi", nom="Autre comité")
    MembreInstance.objects.create(instance=instance, utilisateur=programme.cesf_alogea)
    proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    with pytest.raises(services.ActionImpossible, match="membre votant"):
        services.donner_avis(point=point, user=programme.cesf_alogea, avis="favorable")
    client.force_login(programme.cesf_alogea)
    assert client.get(point.get_absolute_url()).status_code == 404
    response = client.post(point.get_absolute_url(), {"action": "avis", "avis": "favorable"})
    assert response.status_code == 404


def test_decision_is_applied_to_the_file(programme, seance):
    menage = proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    debut = datetime.date(2026, 12, 1)
    services.decider(
        point=point,
        decision="valider",
        niveau="niveau_1",
        date_debut=debut,
        duree_mois=2,
        auteur=programme.comite,
    )
    menage.refresh_from_db()
    accompagnement = Accompagnement.objects.get(menage=menage)
    assert menage.etat == EtatParcours.ACCOMPAGNEMENT and menage.niveau == "niveau_1"
    assert (accompagnement.date_debut, accompagnement.date_fin_prevue) == (debut, datetime.date(2027, 1, 31))
    assert str(seance) in accompagnement.changements_niveau.get().motif


def test_decision_is_rolled_back_wholly_if_the_file_refuses_it(programme, seance):
    menage = proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    with pytest.raises(Exception, match="au plus 3 mois"):
        services.decider(
            point=point, decision="valider", niveau="niveau_1", duree_mois=6, auteur=programme.comite
        )
    point.refresh_from_db()
    menage.refresh_from_db()
    assert point.decision == ""
    assert menage.etat == EtatParcours.PROPOSITION_COMITE
    assert not Accompagnement.objects.exists()
    assert not menage.evenements.filter(etat_apres=EtatParcours.ACCOMPAGNEMENT).exists()


def test_change_of_level_and_iml_by_decision(programme, seance):
    acc = AccompagnementFactory(menage=MenageFactory(dispositif=programme.dispositif, en_accompagnement=True))
    DemandeComite.objects.create(
        menage=acc.menage, type="changement_niveau", motif="x", auteur=programme.ts_adaff
    )
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    iml = {"partenaire": programme.hdm, "forme": "sous_location", "date_debut_contrat": timezone.localdate()}
    services.decider(
        point=point,
        decision="changer_niveau",
        niveau="niveau_3",
        duree_mois=12,
        iml=iml,
        auteur=programme.comite,
    )
    acc.refresh_from_db()
    assert acc.niveau == "niveau_3" and acc.iml.partenaire == programme.hdm


def test_only_the_chair_decides(programme, seance):
    proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    with pytest.raises(services.ActionImpossible, match="président"):
        services.decider(point=point, decision="valider", niveau="niveau_2", auteur=programme.ts_adaff)


def test_committee_member_never_sees_confidential_notes_nor_a_funder_a_name(client, programme, seance):
    menage = proposition(programme)
    ContactFactory(
        menage=menage,
        auteur=programme.ts_adaff,
        note="Rendez-vous CSAPA",
        reserve_travailleurs_sociaux=True,
    )
    (point,) = services.construire_ordre_du_jour(seance=seance)
    for persona in ("comite", "financeur", "cesf_habitat"):
        client.force_login(getattr(programme, persona))
        response = client.get(point.get_absolute_url())
        assert response.status_code == 200, persona
        assert "CSAPA" not in response.text
        # Nor the health score (comptes.confidentialite).
        assert '<th scope="row">Santé</th><td>contenu confidentiel</td>' in response.text, persona
        if persona in ("comite", "financeur"):
            assert "Durand" not in response.text and "Hélène" not in response.text
            assert "Durand" not in client.get(seance.get_absolute_url()).text
            assert "Durand" not in client.get(reverse("tableau_de_bord")).text


def test_non_member_cannot_open_the_session(client, programme, seance):
    client.force_login(programme.cesf_alogea)
    assert client.get(seance.get_absolute_url()).status_code in (403, 404)


def test_convocation_is_emailed_with_an_ics_invitation(programme, seance, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.envoyer_convocation(seance=seance)
    (message,) = mail.outbox
    assert set(message.to) == {
        u.email for u in (programme.comite, programme.ts_adaff, programme.financeur, programme.cesf_habitat)
    }
    name, content, mimetype = message.attachments[0]
    assert name == "convocation.ics" and mimetype.startswith("text/calendar")
    assert (
        "BEGIN:VEVENT" in content and f"DTSTART:{seance.date.astimezone(datetime.UTC):%Y%m%dT%H%M}" in content
    )


def test_minutes_pdf_contains_each_decision(client, programme, seance, django_capture_on_commit_callbacks):
    seance.date = timezone.now() - datetime.timedelta(hours=1)
    seance.save()
    a, b = proposition(programme, "Durand Hélène"), proposition(programme, "Bonnet Zoé")
    pa, pb = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    services.donner_avis(point=pa, user=programme.financeur, avis="favorable")
    services.decider(point=pa, decision="valider", niveau="niveau_2", auteur=programme.comite)
    services.decider(point=pb, decision="refuser", commentaire="Relève de l’ASLL", auteur=programme.comite)
    with django_capture_on_commit_callbacks(execute=True):
        services.clore_seance(seance=seance)
    seance.refresh_from_db()
    assert seance.pv and not seance.pv_en_cours
    client.force_login(programme.financeur)
    response = client.get(reverse("comites:pv", args=[seance.pk]))
    pdf = b"".join(response.streaming_content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Procès-verbal" in text
    assert a.reference in text and "Valider l’accompagnement" in text and "Niveau 2" in text
    assert b.reference in text and "Refuser" in text and "Relève de l’ASLL" in text
    assert "Favorable 1" in text
    assert "Durand" not in text  # initials only
    assert not mail.outbox[-1].attachments and "Durand" not in mail.outbox[-1].body
    client.force_login(programme.cesf_alogea)
    assert client.get(reverse("comites:pv", args=[seance.pk])).status_code in (403, 404)


def test_decision_appears_in_the_households_timeline(client, programme, seance):
    menage = proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    services.decider(point=point, decision="valider", niveau="niveau_2", auteur=programme.comite)
    client.force_login(programme.ts_adaff)
    titres = [e.titre for e in client.get(reverse("dossiers:chronologie", args=[menage.pk])).context["page"]]
    assert f"{seance} : valider l’accompagnement" in titres


def test_session_page_query_count_does_not_grow_with_items(client, programme, seance, count_queries):
    client.force_login(programme.ts_adaff)
    proposition(programme, "A")
    services.construire_ordre_du_jour(seance=seance)
    one = count_queries(client.get, seance.get_absolute_url())
    for i in range(20):
        proposition(programme, f"M{i}")
    services.construire_ordre_du_jour(seance=seance)
    assert count_queries(client.get, seance.get_absolute_url()) == one


def test_urgent_consultation_counts_opinions_for_quorum(programme, comite):
    seance = SeanceFactory(instance=comite, consultation_urgente=True)
    proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    services.donner_avis(point=point, user=programme.financeur, avis="favorable")
    assert services.quorum(seance, point)[2] is False
    services.donner_avis(point=point, user=programme.cesf_habitat, avis="favorable")
    services.decider(point=point, decision="valider", niveau="niveau_2", auteur=programme.comite)


def test_other_landlords_member_reads_initials_only(client, programme, seance):
    MembreInstance.objects.create(instance=seance.instance, utilisateur=programme.cesf_alogea)
    proposition(programme)  # a Habitat Audois household
    (point,) = services.construire_ordre_du_jour(seance=seance)
    client.force_login(programme.cesf_alogea)
    for url in (point.get_absolute_url(), seance.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200 and "Durand" not in response.text and "D. H." in response.text
    client.force_login(programme.cesf_habitat)  # her own landlord's household
    assert "Durand Hélène" in client.get(point.get_absolute_url()).text


def _grand_ordre_du_jour(programme, seance, n):
    """`n` items on the agenda, in this order, without building every file's history."""
    menages = [
        MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom=f"Famille {i:03d}")
        for i in range(n)
    ]
    return [
        PointOrdreDuJour.objects.create(seance=seance, menage=m, type="autre", ordre=i + 1)
        for i, m in enumerate(menages)
    ]


def test_long_agenda_is_read_a_page_at_a_time_numbered_across_pages(client, programme, seance):
    from comites.views import POINTS_PAR_PAGE

    points = _grand_ordre_du_jour(programme, seance, POINTS_PAR_PAGE + 3)
    services.donner_avis(point=points[POINTS_PAR_PAGE + 1], user=programme.financeur, avis="defavorable")
    IntervenantFactory(menage=points[POINTS_PAR_PAGE].menage, utilisateur=programme.ts_adaff)

    client.force_login(programme.financeur)
    premiere = client.get(seance.get_absolute_url()).text
    assert f"Points 1 à {POINTS_PAR_PAGE} sur {POINTS_PAR_PAGE + 3}." in premiere
    assert points[0].menage.reference in premiere
    assert points[POINTS_PAR_PAGE].menage.reference not in premiere
    suivante = client.get(seance.get_absolute_url(), {"page": 2}).text
    assert f"<td>{POINTS_PAR_PAGE + 2}</td>" in suivante  # numbered across pages
    assert "<td>Défavorable</td>" in suivante  # my opinion on that item
    assert "Famille" not in suivante and ">F.</a>" in suivante  # a funder reads initials only

    client.force_login(programme.ts_adaff)  # the secretary sees the name of a household she follows
    suivante = client.get(seance.get_absolute_url(), {"page": 2}).text
    assert f"Famille {POINTS_PAR_PAGE:03d}" in suivante
    assert f"Famille {POINTS_PAR_PAGE + 1:03d}" not in suivante
    assert 'aria-label="Monter le point 51"' in suivante


def test_moving_an_item_across_a_page_boundary_follows_it(client, programme, seance):
    from comites.views import POINTS_PAR_PAGE

    points = _grand_ordre_du_jour(programme, seance, POINTS_PAR_PAGE + 2)
    client.force_login(programme.ts_adaff)
    premier_de_la_page_2 = points[POINTS_PAR_PAGE]
    response = client.post(
        reverse("comites:point_deplacer", args=[premier_de_la_page_2.pk]), {"sens": "monter"}
    )
    assert response["Location"] == f"{seance.get_absolute_url()}?page=1#point-{premier_de_la_page_2.pk}"
    ordre = list(seance.points.order_by("ordre", "pk").values_list("pk", flat=True))
    assert ordre[POINTS_PAR_PAGE - 1] == premier_de_la_page_2.pk
    response = client.post(
        reverse("comites:point_deplacer", args=[premier_de_la_page_2.pk]), {"sens": "descendre"}
    )
    assert response["Location"] == f"{seance.get_absolute_url()}?page=2#point-{premier_de_la_page_2.pk}"
    assert list(seance.points.order_by("ordre", "pk")) == points
    dernier = points[-1]
    response = client.post(reverse("comites:point_deplacer", args=[dernier.pk]), {"sens": "retirer"})
    assert response["Location"] == f"{seance.get_absolute_url()}?page=2#ordre-du-jour"
    assert seance.points.count() == POINTS_PAR_PAGE + 1


def test_a_level_decided_in_session_is_dated_by_the_session(programme, seance):
    menage = proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    services.decider(
        point=point, decision="valider", niveau="niveau_1", date_debut=datetime.date(2027, 1, 4),
        auteur=programme.comite,
    )  # fmt: skip
    changement = Accompagnement.objects.get(menage=menage).changements_niveau.get()
    assert changement.date_decision == timezone.localtime(seance.date).date()
    assert changement.date_effet == datetime.date(2027, 1, 4)


def test_the_reference_example_follows_the_committees_programme(client, programme, seance):
    from django.utils import timezone

    dispositif = seance.instance.dispositif
    dispositif.prefixe_reference = "ASEA-PO"
    dispositif.save(update_fields=["prefixe_reference"])
    client.force_login(programme.ts_adaff)
    text = client.get(reverse("comites:point_ajouter", args=[seance.pk])).text
    assert f"ex. ASEA-PO-{timezone.localdate().year}-0007" in text
