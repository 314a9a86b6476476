"""Committee work: sessions, agendas built from the files, members' opinions, the chair's
decisions applied to the files (atomically), and the minutes. Who may run, chair or vote:
comites.permissions."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone

from accompagnement import services as acc_services
from accompagnement.enums import Rythme
from accompagnement.models import Accompagnement
from comites import calendrier, permissions
from comites.enums import STATUTS_SANS_SEANCE, Decision, StatutSeance, TypePoint
from comites.models import AvisMembre, DemandeComite, PointOrdreDuJour, Presence, Seance
from comptes.taches import enqueue
from menages import services as menages_services
from menages.enums import EtatParcours, MotifRefus, TypeDiagnostic

JOURS_AVANT_ECHEANCE = 30


class ActionImpossible(ValidationError):
    """A committee action that the rules do not allow; its message is shown to the user."""


@transaction.atomic
def proposer_seances(
    *, instance, a_partir_du: datetime.date | None = None, heure=datetime.time(14, 0)
) -> list[Seance]:
    """Propose the sessions of the convention from `a_partir_du` (default: today), one every
    `instance.rythme` months from the programme's start, each on the first working day on or after
    its due date. A month that already has a session of the body (planned by hand, moved, settled)
    gets no other one, so proposing again adds only what is missing."""
    dispositif, rythme = instance.dispositif, instance.rythme
    a_partir_du = a_partir_du or timezone.localdate()
    mois_pris = {
        (d.year, d.month)
        for d in (timezone.localtime(s.date).date() for s in instance.seances.filter(urgente=False))
    }
    creees = []
    n = 1
    while (echeance := dispositif.date_debut + relativedelta(months=n * rythme)) <= dispositif.date_fin:
        n += 1
        jour = calendrier.jour_ouvre_a_partir_du(echeance)
        if jour < a_partir_du or (jour.year, jour.month) in mois_pris:
            continue
        date = timezone.make_aware(datetime.datetime.combine(jour, heure))
        creees.append(Seance.objects.create(instance=instance, date=date, lieu=instance.lieu_habituel))
        mois_pris.add((jour.year, jour.month))
    return creees


@transaction.atomic
def deplacer_seance(*, seance: Seance, date: datetime.datetime) -> Seance:
    """Move a session still to be held to another working day. A convocation already sent gave
    the old date: the session goes back to planned so that a new one is sent."""
    seance = Seance.objects.select_for_update().get(pk=seance.pk)
    if seance.close:
        raise ActionImpossible("La séance est close : sa date ne change plus.")
    calendrier.valider_jour_ouvre(date)
    seance.date = date
    if seance.statut == StatutSeance.CONVOQUEE:
        seance.statut = StatutSeance.PLANIFIEE
    seance.save(update_fields=["date", "statut"])
    return seance


def _points_ouverts(menage_ids):
    return set(
        PointOrdreDuJour.objects.ouverts().filter(menage_id__in=menage_ids).values_list("menage_id", "type")
    )


@transaction.atomic
def construire_ordre_du_jour(*, seance: Seance) -> list[PointOrdreDuJour]:
    """Add to the agenda the files that need a decision: new proposals, supports reaching their
    planned end within 30 days of the session, and the workers' requests (level change, IML, exit,
    renewal). Items already on an open agenda are not added twice."""
    if seance.close:
        raise ActionImpossible("La séance est close.")
    dispositif = seance.instance.dispositif
    limite = timezone.localtime(seance.date).date() + datetime.timedelta(days=JOURS_AVANT_ECHEANCE)
    candidats = []
    from menages.models import Menage

    for menage in Menage.objects.filter(
        dispositif=dispositif, etat=EtatParcours.PROPOSITION_COMITE
    ).prefetch_related("diagnostics"):
        diagnostic = next(
            (
                d
                for d in menage.diagnostics.all()
                if d.numero_parcours == menage.numero_parcours and d.type == TypeDiagnostic.ENTREE
            ),
            None,
        )
        candidats.append(
            (
                menage.pk,
                TypePoint.NOUVELLE_PROPOSITION,
                diagnostic.niveau_propose if diagnostic else "",
                None,
                "",
                None,
            )
        )
    for acc in Accompagnement.objects.en_cours().filter(
        menage__dispositif=dispositif, date_fin_prevue__lte=limite
    ):
        motif = f"L’accompagnement arrive à sa fin prévue le {acc.date_fin_prevue:%d/%m/%Y}."
        candidats.append((acc.menage_id, TypePoint.ECHEANCE, acc.niveau, None, motif, None))
    for demande in DemandeComite.objects.filter(menage__dispositif=dispositif, point__isnull=True):
        candidats.append(
            (
                demande.menage_id,
                demande.type,
                demande.niveau_propose,
                demande.duree_proposee_mois,
                demande.motif,
                demande,
            )
        )
    ouverts = _points_ouverts([c[0] for c in candidats])
    ordre = (seance.points.aggregate(m=Max("ordre"))["m"] or 0) + 1
    crees = []
    for menage_id, type_, niveau, duree, motif, demande in candidats:
        if (menage_id, type_) in ouverts:
            continue
        point = PointOrdreDuJour.objects.create(
            seance=seance,
            menage_id=menage_id,
            type=type_,
            ordre=ordre,
            niveau_propose=niveau or "",
            duree_proposee_mois=duree,
            motif=motif,
        )
        if demande:
            demande.point = point
            demande.save(update_fields=["point"])
            if any(
                (
                    demande.synthese_niveau,
                    demande.synthese_objectifs,
                    demande.synthese_iml,
                    demande.synthese_initiales,
                )
            ):
                point.synthese_niveau = demande.synthese_niveau
                point.synthese_objectifs = demande.synthese_objectifs
                point.synthese_iml = demande.synthese_iml
                point.synthese_initiales = demande.synthese_initiales
                point.synthese_par_id = demande.auteur_id
                point.synthese_le = demande.cree_le
                point.save()
        ouverts.add((menage_id, type_))
        crees.append(point)
        ordre += 1
    return crees


@transaction.atomic
def ajouter_point(*, seance, menage, type: str, motif: str = "") -> PointOrdreDuJour:
    if seance.close:
        raise ActionImpossible("La séance est close.")
    if menage.dispositif_id != seance.instance.dispositif_id:
        raise ActionImpossible("Ce ménage ne relève pas du dispositif de cette instance.")
    ordre = (seance.points.aggregate(m=Max("ordre"))["m"] or 0) + 1
    point, _ = PointOrdreDuJour.objects.get_or_create(
        seance=seance, menage=menage, type=type, defaults={"ordre": ordre, "motif": motif}
    )
    return point


@transaction.atomic
def deplacer_point(*, point: PointOrdreDuJour, vers: int) -> None:
    """Move an item one place up (vers=-1) or down (vers=+1)."""
    # (pk, ordre) only: an agenda may hold hundreds of items.
    points = list(point.seance.points.order_by("ordre", "pk").values_list("pk", "ordre"))
    i = [pk for pk, _ in points].index(point.pk)
    j = i + vers
    if 0 <= j < len(points):
        points[i], points[j] = points[j], points[i]
    for n, (pk, ordre) in enumerate(points, start=1):
        if ordre != n:
            PointOrdreDuJour.objects.filter(pk=pk).update(ordre=n)


@transaction.atomic
def retirer_point(*, point: PointOrdreDuJour) -> None:
    if not point.retirable:
        raise ActionImpossible("Un point déjà décidé ne peut être retiré.")
    point.demandes.update(point=None)
    point.delete()


@transaction.atomic
def donner_avis(*, point: PointOrdreDuJour, user, avis: str, commentaire: str = "") -> AvisMembre:
    """A member's opinion on an item; it can be changed until the item is decided or the session
    closed. Only voting members of this programme's body may give one."""
    point = PointOrdreDuJour.objects.select_related("seance__instance", "menage").get(pk=point.pk)
    seance = point.seance
    m = permissions.mandat_actuel(user, seance.instance)
    if m is None or not m.voix_deliberative:
        raise ActionImpossible("Vous n’êtes pas membre votant de cette instance.")
    if seance.instance.dispositif_id != point.menage.dispositif_id:
        raise ActionImpossible("Ce ménage ne relève pas du dispositif de cette instance.")
    if seance.close or point.est_decide:
        raise ActionImpossible("La décision est prise : les avis ne peuvent plus changer.")
    obj, _ = AvisMembre.objects.update_or_create(
        point=point,
        membre=m,
        defaults={"avis": avis, "commentaire": commentaire.strip(), "donne_le": timezone.now()},
    )
    return obj


@transaction.atomic
def enregistrer_presences(*, seance: Seance, presents, excuses=()) -> None:
    if seance.close:
        raise ActionImpossible("La séance est close : les présences ne changent plus.")
    presents, excuses = {m.pk for m in presents}, {m.pk for m in excuses}
    for membre in seance.instance.membres.actifs(timezone.localtime(seance.date).date()):
        Presence.objects.update_or_create(
            seance=seance,
            membre=membre,
            defaults={
                "present": membre.pk in presents,
                "excuse": membre.pk in excuses and membre.pk not in presents,
            },
        )


def quorum(seance: Seance, point: PointOrdreDuJour | None = None) -> tuple[int, int, bool]:
    """(voting members counted, quorum, reached). For an urgent consultation, the members who gave
    their opinion on the item count as present."""
    votants = seance.instance.membres.actifs(timezone.localtime(seance.date).date()).filter(
        voix_deliberative=True
    )
    # Both counts in one query (the item's page shows the quorum).
    if seance.urgente and point is not None:
        present = Exists(AvisMembre.objects.filter(point=point, membre=OuterRef("pk")))
    else:
        present = Exists(Presence.objects.filter(seance=seance, present=True, membre=OuterRef("pk")))
    nombres = votants.aggregate(votants=Count("pk"), presents=Count("pk", filter=present))
    requis = seance.instance.quorum(nombres["votants"])
    return nombres["presents"], requis, nombres["presents"] >= requis


@transaction.atomic
def decider(
    *,
    point: PointOrdreDuJour,
    decision: str,
    auteur,
    niveau: str = "",
    date_debut: datetime.date | None = None,
    duree_mois: int | None = None,
    commentaire: str = "",
    iml: dict | None = None,
    motif_sortie: str = "",
    situation_sortie: str = "",
    derogation_duree: bool = False,
    derogation_motif: str = "",
) -> PointOrdreDuJour:
    """Record the chair's decision on an item and apply it to the household's file, all or nothing:
    if the file cannot take the decision, nothing is recorded."""
    point = (
        PointOrdreDuJour.objects.select_for_update()
        .select_related("seance__instance", "menage__dispositif")
        .get(pk=point.pk)
    )
    seance, menage = point.seance, point.menage
    if not permissions.can_chair_seance(auteur, seance):
        raise ActionImpossible("Seul le président de séance enregistre les décisions.")
    if point.est_decide:
        raise ActionImpossible("Ce point est déjà décidé.")
    if decision not in Decision.values:
        raise ActionImpossible("Décision inconnue.")
    if seance.close:
        raise ActionImpossible("La séance est close.")
    _presents, requis, atteint = quorum(seance, point)
    if not atteint:
        if seance.urgente:
            raise ActionImpossible(
                f"Le quorum n’est pas atteint : {requis} avis de membres votants sont requis sur ce point.",
                code="quorum_avis",
            )
        raise ActionImpossible(
            f"Le quorum n’est pas atteint : {requis} membres votants présents sont requis.", code="quorum"
        )
    # A decision is dated by its session's day (the funder figures date level changes by it).
    jour_seance = timezone.localtime(seance.date).date()
    date_debut = date_debut or jour_seance
    libelle = f"Décision du {seance}"
    motif = f"{libelle}. {commentaire}".strip()
    accompagnement = menage.accompagnements.en_cours().first()

    if decision == Decision.RENOUVELER and accompagnement is not None:
        niveau = niveau or accompagnement.niveau
        date_debut = accompagnement.date_fin_prevue + datetime.timedelta(days=1)
    # The item is recorded first: the level it gives links to it (a failure below undoes both).
    point.decision = decision
    point.decision_niveau = (
        niveau if decision in (Decision.VALIDER, Decision.RENOUVELER, Decision.CHANGER_NIVEAU) else ""
    )
    point.decision_date_debut = date_debut
    point.decision_duree_mois = duree_mois
    point.decision_commentaire = commentaire
    point.derogation_duree = derogation_duree
    point.derogation_motif = derogation_motif.strip() if derogation_duree else ""
    point.decide_le = timezone.now()
    point.decide_par = auteur
    point.save()
    if decision == Decision.VALIDER:
        if menage.etat != EtatParcours.PROPOSITION_COMITE:
            raise ActionImpossible("Le ménage n’est pas proposé au comité.")
        acc_services.demarrer_accompagnement(
            menage=menage,
            niveau=niveau,
            date_debut=date_debut,
            duree_mois=duree_mois,
            rythme=Rythme.HEBDOMADAIRE,
            motif=motif,
            auteur=auteur,
            decision=point,
            iml=iml,
            date_decision=jour_seance,
        )
    elif decision in (Decision.RENOUVELER, Decision.CHANGER_NIVEAU):
        if accompagnement is None:
            raise ActionImpossible("Ce ménage n’a pas d’accompagnement en cours.")
        acc_services.changer_niveau(
            accompagnement=accompagnement,
            niveau=niveau,
            date_effet=date_debut,
            duree_mois=duree_mois,
            motif=motif,
            auteur=auteur,
            decision=point,
            iml=iml,
            date_decision=jour_seance,
        )
    elif decision == Decision.AJOUTER_IML:
        if accompagnement is None:
            raise ActionImpossible("Ce ménage n’a pas d’accompagnement en cours.")
        acc_services.ajouter_iml(accompagnement=accompagnement, iml=iml or {}, auteur=auteur, decision=point)
    elif decision == Decision.REFUSER:
        if menage.etat == EtatParcours.PROPOSITION_COMITE:
            menages_services.changer_etat(
                menage=menage,
                vers=EtatParcours.REFUSE,
                auteur=auteur,
                motif=motif,
                motif_refus=MotifRefus.REFUS_COMITE,
                decision=point,
            )
    elif decision == Decision.TERMINER:
        if accompagnement is None:
            raise ActionImpossible("Ce ménage n’a pas d’accompagnement en cours.")
        acc_services.clore_accompagnement(
            accompagnement=accompagnement,
            date_fin=date_debut,
            motif_sortie=motif_sortie,
            situation_sortie=situation_sortie,
            auteur=auteur,
            decision=point,
            motif=motif,
        )
    return point


def ajournement_a_reprendre(menage) -> PointOrdreDuJour | None:
    """The committee's adjournment of `menage`'s proposal on its current path, when it is the
    latest decision taken on the household since it was proposed; None otherwise."""
    proposition = (
        menage.evenements.filter(
            numero_parcours=menage.numero_parcours, etat_apres=EtatParcours.PROPOSITION_COMITE
        )
        .order_by("-date", "-pk")
        .first()
    )
    if menage.etat != EtatParcours.PROPOSITION_COMITE or proposition is None:
        return None
    derniere = (
        PointOrdreDuJour.objects.decides()
        .filter(menage=menage, decide_le__gte=proposition.date)
        .select_related("seance__instance")
        .order_by("-decide_le", "-pk")
        .first()
    )
    return derniere if derniere is not None and derniere.decision == Decision.AJOURNER else None


@transaction.atomic
def renvoyer_au_diagnostic(*, menage, auteur, motif: str):
    """Bring a proposed household back to the in-depth diagnostic after the committee adjourned its
    proposal: the step change links to the adjournment and records the worker's reason (what the
    committee asks to complete). Refused without an adjournment, and while the household waits on
    an open agenda (the committee is about to examine it)."""
    if not motif.strip():
        raise ActionImpossible(
            "Indiquez pourquoi le dossier revient au diagnostic : ce que le comité demande de compléter."
        )
    ajournement = ajournement_a_reprendre(menage)
    if ajournement is None:
        raise ActionImpossible(
            "Le dossier revient au diagnostic approfondi après l’ajournement de sa proposition par le "
            "comité de suivi : aucun ajournement n’est enregistré depuis sa proposition."
        )
    inscrit = (
        PointOrdreDuJour.objects.ouverts().filter(menage=menage).select_related("seance__instance").first()
    )
    if inscrit is not None:
        raise ActionImpossible(
            f"Le dossier est inscrit à l’ordre du jour de la séance « {inscrit.seance} » : retirez-le "
            "de l’ordre du jour avant de le renvoyer au diagnostic, ou laissez le comité l’examiner."
        )
    return menages_services.changer_etat(
        menage=menage,
        vers=EtatParcours.DIAGNOSTIC,
        auteur=auteur,
        motif=f"Ajournement du {ajournement.seance} : {motif.strip()}",
        decision=ajournement,
    )


class _Simulation(Exception):
    """Raised to undo a decision tried for its confirmation page."""


def simuler_decision(*, point: PointOrdreDuJour, auteur, **kwargs) -> dict:
    """What `decider` would do, without doing it: the decision is applied in a savepoint that is
    then undone, so the confirmation page states the file as it would be (level, state, planned
    end) or the rule that refuses it (raised as `decider` raises it). Nothing is kept."""
    resultat = {}
    try:
        with transaction.atomic():
            decide = decider(point=point, auteur=auteur, **kwargs)
            menage = decide.menage
            menage.refresh_from_db()
            accompagnement = menage.accompagnements.order_by("-date_debut", "-pk").first()
            resultat = {
                "etat": menage.get_etat_display(),
                "niveau": menage.get_niveau_display() if menage.niveau else "",
                "date_effet": decide.decision_date_debut,
                "accompagnement": accompagnement,
                "date_fin_prevue": accompagnement.date_fin_prevue if accompagnement else None,
                "date_fin": accompagnement.date_fin if accompagnement else None,
                "iml": getattr(accompagnement, "iml", None) if accompagnement else None,
            }
            if accompagnement and resultat["iml"] is not None:
                resultat["iml_libelle"] = (
                    f"{resultat['iml'].get_forme_display()} avec {resultat['iml'].partenaire}"
                )
            raise _Simulation
    except _Simulation:
        pass
    return resultat


@transaction.atomic
def ecrire_synthese(*, point: PointOrdreDuJour, auteur, **champs) -> PointOrdreDuJour:
    """The referent's case summary for the committee, until the session is held."""
    point = PointOrdreDuJour.objects.select_for_update().select_related("seance", "menage").get(pk=point.pk)
    if not permissions.can_write_summary(auteur, point):
        raise ActionImpossible(
            "La synthèse ne peut plus être modifiée : la séance est close ou le point décidé."
        )
    for name in ("synthese_niveau", "synthese_objectifs", "synthese_iml"):
        setattr(point, name, (champs.get(name) or "").strip())
    point.synthese_initiales = bool(champs.get("synthese_initiales"))
    point.synthese_par = auteur
    point.synthese_le = timezone.now()
    point.save()
    return point


@transaction.atomic
def envoyer_convocation(*, seance: Seance) -> None:
    from comites.tasks import envoyer_convocation as task

    if seance.close:
        raise ActionImpossible("La séance est close.")
    if seance.a_regulariser:
        raise ActionImpossible("La date de la séance est passée : déplacez-la d’abord.", code="date_passee")
    seance.statut = StatutSeance.CONVOQUEE
    seance.convocation_envoyee_le = timezone.now()
    seance.save(update_fields=["statut", "convocation_envoyee_le"])
    transaction.on_commit(lambda: enqueue(task, seance.pk))


def obstacles_a_la_tenue(seance: Seance) -> list[str]:
    """Why the session cannot be recorded as held (an empty list: it can). A session is held when
    its day has come, its attendance is recorded and the quorum of voting members was present; an
    urgent consultation, when at least one decision was taken (each needed its quorum of opinions)."""
    if seance.close:
        return [f"La séance est déjà {seance.get_statut_display().lower()}."]
    obstacles = []
    if not seance.jour_passe:
        obstacles.append("La séance n’a pas encore eu lieu.")
    if seance.urgente:
        if not seance.points.decides().exists():
            obstacles.append("Aucune décision n’a été prise pendant cette consultation.")
        return obstacles
    if not seance.presences.exists():
        obstacles.append("Les présences ne sont pas enregistrées.")
    else:
        presents, requis, atteint = quorum(seance)
        s = "s" if presents > 1 else ""
        if not atteint:
            obstacles.append(
                f"Le quorum n’est pas atteint : {presents} membre{s} votant{s} présent{s} "
                f"sur {requis} requis."
            )
    return obstacles


def pv_a_approuver(seance: Seance):
    """The minutes this session approves: those of the body's earlier held sessions not approved
    yet (an urgent consultation approves none; its own are approved at the next session)."""
    if seance.urgente:
        return Seance.objects.none()
    return Seance.objects.tenues().filter(
        instance=seance.instance, date__lt=seance.date, pv_approuve_par__isnull=True
    )


@transaction.atomic
def clore_seance(*, seance: Seance) -> Seance:
    """Record the session as held: the decisions taken in it are already applied to the files;
    the minutes of the previous sessions are approved; its own minutes are produced and sent to
    the members in the background, to be approved at the next session."""
    from comites.tasks import generer_pv

    seance = Seance.objects.select_for_update().select_related("instance").get(pk=seance.pk)
    if obstacles := obstacles_a_la_tenue(seance):
        raise ActionImpossible(" ".join(obstacles))
    pv_a_approuver(seance).update(pv_approuve_par=seance)
    seance.statut = StatutSeance.TENUE
    seance.pv_en_cours = True
    seance.close_le = timezone.now()
    seance.save(update_fields=["statut", "pv_en_cours", "close_le"])
    transaction.on_commit(lambda: enqueue(generer_pv, seance.pk))
    return seance


@transaction.atomic
def constater_absence_de_seance(*, seance: Seance, statut: str, motif: str) -> Seance:
    """Record that a session did not take place: not held (its day came, e.g. without quorum) or
    cancelled, with the reason. No minutes; the items left undecided can go to the next session."""
    seance = Seance.objects.select_for_update().get(pk=seance.pk)
    if statut not in STATUTS_SANS_SEANCE:
        raise ActionImpossible("Statut inconnu : non tenue ou annulée.")
    if seance.close:
        raise ActionImpossible(f"La séance est déjà {seance.get_statut_display().lower()}.")
    if not motif.strip():
        raise ActionImpossible("Indiquez le motif.")
    if statut == StatutSeance.NON_TENUE and not seance.jour_passe:
        raise ActionImpossible("La séance n’a pas encore eu lieu : annulez-la plutôt.")
    if seance.points.decides().exists():
        raise ActionImpossible("Des décisions ont été prises pendant cette séance : elle s’est tenue.")
    seance.statut = statut
    seance.motif_statut = motif.strip()
    seance.close_le = timezone.now()
    seance.save(update_fields=["statut", "motif_statut", "close_le"])
    return seance


@transaction.atomic
def parametrer_instance(*, instance) -> None:
    """Save a body's settings (name, rhythm, quorum, usual place), recorded by the audit trail. A
    new quorum applies to the sessions not yet closed."""
    instance.full_clean()
    instance.save()
