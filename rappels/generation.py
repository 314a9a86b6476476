"""Which reminders are due. Each kind yields candidate reminders with an idempotency key; creating
them ignores keys already there, so running the generation again (or twice at once) creates no
duplicate. A reminder only goes to someone who may see the household it is about."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Accompagnement, Contact, Objectif, SuiviPostSortie, TempsFort
from accompagnement.selectors import annoter_suivi, en_retard
from comites.enums import RoleMembre
from comites.models import AvisMembre, PointOrdreDuJour, Seance
from comptes.models import Dispositif
from logements.models import SoldeLocatif
from logements.selectors import seuils_impayes
from menages.enums import EtatParcours, TypeDiagnostic, TypeIntervention
from menages.models import Diagnostic, Intervenant, Menage, ValidationFinanceur
from rappels.enums import TypeRappel
from rappels.models import TYPES_DOSSIER_LOCATIF, Rappel

SEUILS_ECHEANCE = (0, 15, 30)


@dataclass(frozen=True)
class Candidat:
    cle: str
    type: str
    destinataire_id: int
    titre: str
    lien: str = ""
    menage_id: int | None = None


def _intervenants(menage_ids, types=(TypeIntervention.REFERENT,)):
    """{menage_id: [user ids]} of the active intervenants of these types."""
    result = {}
    rows = Intervenant.objects.actifs().filter(
        menage_id__in=menage_ids, type__in=types, utilisateur__isnull=False
    )
    for menage_id, user_id in rows.values_list("menage_id", "utilisateur_id"):
        result.setdefault(menage_id, []).append(user_id)
    return result


def _dossier(menage) -> str:
    """How a reminder names its household: by its reference, never by name. Reminders travel by
    email and are read in a shared notification centre: the file (after login) says the rest."""
    return f"Dossier {menage.reference}"


def _fiche(menage_id):
    return reverse("dossiers:detail", args=[menage_id])


def contacts_en_retard(now):
    menages = annoter_suivi(Menage.objects.en_accompagnement())
    en_retard_ = [
        m
        for m in menages
        if en_retard(m.rythme_actuel, m.dernier_contact, m.debut_accompagnement, timezone.localdate(now))
    ]
    referents = _intervenants([m.pk for m in en_retard_])
    for m in en_retard_:
        depuis = timezone.localtime(m.dernier_contact).date() if m.dernier_contact else m.debut_accompagnement
        for user_id in referents.get(m.pk, []):
            yield Candidat(
                f"retard:{m.pk}:{depuis:%Y%m%d}:{user_id}",
                TypeRappel.CONTACT_EN_RETARD,
                user_id,
                f"{_dossier(m)} : pas de contact depuis le {depuis:%d/%m/%Y}, plus que son rythme ne le prévoit.",
                _fiche(m.pk),
                m.pk,
            )


def echeances(now):
    today = timezone.localdate(now)
    accompagnements = list(
        Accompagnement.objects.en_cours()
        .filter(date_fin_prevue__lte=today + datetime.timedelta(days=30))
        .select_related("menage")
    )
    destinataires = _intervenants(
        [a.menage_id for a in accompagnements], (TypeIntervention.REFERENT, TypeIntervention.CESF)
    )
    for acc in accompagnements:
        reste = (acc.date_fin_prevue - today).days
        seuil = min(s for s in SEUILS_ECHEANCE if reste <= s)
        quand = "arrive à son terme aujourd’hui" if reste <= 0 else f"se termine dans {reste} jours"
        for user_id in destinataires.get(acc.menage_id, []):
            yield Candidat(
                f"echeance:{acc.pk}:{acc.date_fin_prevue:%Y%m%d}:{seuil}:{user_id}",
                TypeRappel.ECHEANCE_NIVEAU,
                user_id,
                f"{_dossier(acc.menage)} : le {acc.get_niveau_display().lower()} {quand} ({acc.date_fin_prevue:%d/%m/%Y}).",
                _fiche(acc.menage_id),
                acc.menage_id,
            )


def _avis_attendus(seance, membres, cle, titre):
    """One reminder to each voting member of `membres` with items of `seance` still awaiting their
    opinion; `titre` is formatted with the number of such items."""
    for m in membres:
        if not m.voix_deliberative:
            continue
        sans_avis = (
            PointOrdreDuJour.objects.a_decider()
            .filter(seance=seance)
            .exclude(Exists(AvisMembre.objects.filter(point=OuterRef("pk"), membre=m)))
            .count()
        )
        if sans_avis:
            yield Candidat(
                f"{cle}:{seance.pk}:{m.utilisateur_id}",
                TypeRappel.AVIS_ATTENDU,
                m.utilisateur_id,
                titre.format(n=sans_avis),
                seance.get_absolute_url(),
            )


def seances(now):
    for dispositif in Dispositif.objects.filter(actif=True):
        horizon = now + datetime.timedelta(days=dispositif.rappel_seance_jours)
        avis_horizon = now + datetime.timedelta(days=dispositif.rappel_avis_jours)
        for seance in (
            Seance.objects.ouvertes()
            .filter(instance__dispositif=dispositif, date__gte=now, date__lte=horizon)
            .select_related("instance")
        ):
            membres = list(seance.instance.membres.actifs().select_related("utilisateur"))
            for m in membres:
                yield Candidat(
                    f"seance:{seance.pk}:{m.utilisateur_id}",
                    TypeRappel.SEANCE,
                    m.utilisateur_id,
                    f"{seance} : l’ordre du jour est en ligne.",
                    seance.get_absolute_url(),
                )
            # An urgent consultation has its own timing (consultations_urgentes).
            if seance.urgente or seance.date > avis_horizon:
                continue
            yield from _avis_attendus(
                seance, membres, "avis", f"{seance} : {{n}} point(s) attendent votre avis."
            )


def echeance_consultation(seance) -> datetime.datetime:
    """When the opinions of an urgent consultation are due: its date and time, or, for one sent
    after that time (dated earlier the same day), the end of its day."""
    jour = timezone.localtime(seance.date).date()
    fin_du_jour = timezone.make_aware(
        datetime.datetime.combine(jour + datetime.timedelta(days=1), datetime.time.min)
    )
    return seance.date if seance.date > seance.convocation_envoyee_le else fin_du_jour


def moment_rappel_consultation(seance, rappel_avis_jours: int) -> datetime.datetime:
    """When the members who have not answered an urgent consultation are reminded: halfway between
    the sending and the deadline (a consultation sent in the morning for the afternoon: at midday),
    and never earlier than the programme's usual delay before the deadline."""
    echeance = echeance_consultation(seance)
    envoi = seance.convocation_envoyee_le
    return max(envoi + (echeance - envoi) / 2, echeance - datetime.timedelta(days=rappel_avis_jours))


def consultations_urgentes(now):
    """Urgent consultations between sessions (comites.consultation): the members consulted by email
    who have not given their opinion are reminded once, at a moment fitted to the consultation's
    delay (moment_rappel_consultation), however short: one sent and due the same day included.
    Nothing before the members are consulted, nothing after the consultation's day."""
    consultations = (
        Seance.objects.ouvertes()
        .filter(
            urgente=True,
            instance__dispositif__actif=True,
            convocation_envoyee_le__isnull=False,
            convocation_envoyee_le__lte=now,
        )
        .select_related("instance__dispositif")
    )
    for seance in consultations:
        jour = timezone.localtime(seance.date).date()
        if timezone.localdate(now) > jour:
            continue  # its day is over: the secretary settles it (seances_a_regulariser)
        if now < moment_rappel_consultation(seance, seance.instance.dispositif.rappel_avis_jours):
            continue
        membres = seance.instance.membres.actifs(jour).select_related("utilisateur")
        yield from _avis_attendus(
            seance, membres, "avis", f"{seance} : consultation urgente, {{n}} point(s) attendent votre avis."
        )


def seances_a_regulariser(now):
    """A session left planned after its day: its secretary (or, without one, its chair) says
    whether it was held. One reminder per session and person."""
    for seance in (
        Seance.objects.a_regulariser(timezone.localdate(now))
        .filter(instance__dispositif__actif=True)
        .select_related("instance")
    ):
        mandats = list(seance.instance.membres.actifs(timezone.localdate(now)))
        animateurs = [m for m in mandats if m.role == RoleMembre.SECRETAIRE] or [
            m for m in mandats if m.role == RoleMembre.PRESIDENT
        ]
        for m in animateurs:
            yield Candidat(
                f"regulariser:{seance.pk}:{m.utilisateur_id}",
                TypeRappel.SEANCE_A_REGULARISER,
                m.utilisateur_id,
                f"{seance} : la séance est toujours planifiée. Indiquez si elle s’est tenue "
                f"(présences et clôture) ou non, avec son motif.",
                seance.get_absolute_url(),
            )


def validations(now):
    for v in (
        ValidationFinanceur.objects.en_attente()
        .filter(demandee_par__isnull=False)
        .select_related("menage__dispositif", "financeur")
    ):
        if v.demandee_le > now - datetime.timedelta(
            days=v.menage.dispositif.rappel_validation_financeurs_jours
        ):
            continue
        yield Candidat(
            f"validation:{v.pk}",
            TypeRappel.VALIDATION_EN_ATTENTE,
            v.demandee_par_id,
            f"{_dossier(v.menage)} : {v.financeur} n’a pas répondu depuis le {timezone.localtime(v.demandee_le):%d/%m/%Y}.",
            _fiche(v.menage_id),
            v.menage_id,
        )


def diagnostics(now):
    diagnostic = Diagnostic.objects.filter(
        menage=OuterRef("pk"), numero_parcours=OuterRef("numero_parcours"), type=TypeDiagnostic.ENTREE
    )
    menages = list(
        Menage.objects.filter(etat=EtatParcours.DIAGNOSTIC)
        .exclude(Exists(diagnostic))
        .select_related("dispositif")
    )
    debut = {}
    for m in menages:
        e = m.evenements.filter(etat_apres=EtatParcours.DIAGNOSTIC, numero_parcours=m.numero_parcours).first()
        debut[m.pk] = e.date if e else None
    referents = _intervenants([m.pk for m in menages])
    for m in menages:
        depuis = debut[m.pk]
        if depuis is None or depuis > now - datetime.timedelta(days=m.dispositif.rappel_diagnostic_jours):
            continue
        for user_id in referents.get(m.pk, []):
            yield Candidat(
                f"diagnostic:{m.pk}:{m.numero_parcours}:{user_id}",
                TypeRappel.DIAGNOSTIC_EN_ATTENTE,
                user_id,
                f"{_dossier(m)} : le diagnostic approfondi n’est pas enregistré, {m.dispositif.rappel_diagnostic_jours} jours "
                "après la validation.",
                _fiche(m.pk),
                m.pk,
            )


def objectifs(now):
    today = timezone.localdate(now)
    objectifs_ = list(Objectif.objects.a_revoir(today).select_related("menage"))
    referents = _intervenants([o.menage_id for o in objectifs_])
    for o in objectifs_:
        for user_id in referents.get(o.menage_id, []):
            yield Candidat(
                f"objectif:{o.pk}:{o.date_revision:%Y%m%d}:{user_id}",
                TypeRappel.REVUE_OBJECTIF,
                user_id,
                f"{_dossier(o.menage)} : un objectif est à revoir (le {o.date_revision:%d/%m/%Y}).",
                _fiche(o.menage_id),
                o.menage_id,
            )


def temps_forts(now):
    demain = timezone.localdate(now) + datetime.timedelta(days=1)
    debut = timezone.make_aware(datetime.datetime.combine(demain, datetime.time.min))
    temps = list(
        TempsFort.objects.filter(
            realise=False, date_prevue__gte=debut, date_prevue__lt=debut + datetime.timedelta(days=1)
        ).select_related("menage")
    )
    destinataires = _intervenants(
        [t.menage_id for t in temps], (TypeIntervention.REFERENT, TypeIntervention.CESF)
    )
    for t in temps:
        for user_id in destinataires.get(t.menage_id, []):
            yield Candidat(
                f"tempsfort:{t.pk}:{demain:%Y%m%d}:{user_id}",
                TypeRappel.TEMPS_FORT_DEMAIN,
                user_id,
                f"{_dossier(t.menage)} : {t.get_type_display().lower()} demain à {timezone.localtime(t.date_prevue):%H:%M}.",
                _fiche(t.menage_id),
                t.menage_id,
            )


def suivis_post_sortie(now):
    today = timezone.localdate(now)
    sorties = list(
        Accompagnement.objects.filter(
            date_fin__isnull=False, date_fin__lte=today - relativedelta(months=6)
        ).select_related("menage")
    )
    referents = _intervenants([a.menage_id for a in sorties])
    faits = {}
    recorded = SuiviPostSortie.objects.filter(accompagnement__in=sorties)
    for acc_id, mois in recorded.values_list("accompagnement_id", "echeance_mois"):
        faits.setdefault(acc_id, set()).add(mois)
    for acc in sorties:
        mois = 12 if acc.date_fin <= today - relativedelta(months=12) else 6
        if mois == 12 and acc.date_fin < today - relativedelta(months=13):
            continue  # long past: not a reminder any more
        if mois in faits.get(acc.pk, ()):
            continue  # already recorded
        for user_id in referents.get(acc.menage_id, []):
            yield Candidat(
                f"postsortie:{acc.pk}:{mois}:{user_id}",
                TypeRappel.SUIVI_POST_SORTIE,
                user_id,
                f"{_dossier(acc.menage)} : noter la situation de logement {mois} mois après la sortie.",
                _fiche(acc.menage_id),
                acc.menage_id,
            )


def consentements(now):
    today = timezone.localdate(now)
    menages = list(
        Menage.objects.en_cours().filter(date_information__isnull=False).select_related("dispositif")
    )
    dus = [
        m
        for m in menages
        if m.date_information <= today - relativedelta(months=m.dispositif.renouvellement_information_mois)
    ]
    referents = _intervenants([m.pk for m in dus])
    for m in dus:
        for user_id in referents.get(m.pk, []):
            yield Candidat(
                f"consentement:{m.pk}:{m.date_information:%Y%m%d}:{user_id}",
                TypeRappel.CONSENTEMENT,
                user_id,
                f"{_dossier(m)} : notice d’information remise le {m.date_information:%d/%m/%Y}, à renouveler avec le consentement.",
                _fiche(m.pk),
                m.pk,
            )


def impayes(now):
    """Tenants whose arrears reached the programme's threshold: one reminder per crossing (the
    month the balance reached it, after a month below or none), to the household's référent and
    its landlord's CESF.
    The threshold is a number of months of the tenant's own rent and charges: while that rent is
    not known, a tenant in arrears cannot be checked against it. Rather than never alerting, the
    household's CESF (who records the rent with the month's balance) is told once that the rent is
    missing."""
    soldes = SoldeLocatif.objects.filter(
        menage__in=Menage.objects.en_cours(),
        mois__lte=timezone.localdate(now),
    ).select_related("menage__dispositif")
    par_menage = {}
    for solde in soldes.order_by("menage_id", "mois"):
        par_menage.setdefault(solde.menage_id, []).append(solde)
    franchis, sans_loyer = {}, {}
    seuils = seuils_impayes([suite[0].menage for suite in par_menage.values()])
    for menage_id, suite in par_menage.items():
        seuil = seuils[menage_id]
        if seuil is None:
            if suite[-1].solde > 0:
                sans_loyer[menage_id] = suite[-1]
            continue
        if suite[-1].solde < seuil:
            continue
        depuis = suite[-1]
        for solde in reversed(suite):
            if solde.solde < seuil:
                break
            depuis = solde
        franchis[menage_id] = (depuis, suite[-1])
    destinataires = _intervenants(list(franchis), (TypeIntervention.REFERENT, TypeIntervention.CESF))
    for menage_id, (depuis, dernier) in franchis.items():
        for user_id in destinataires.get(menage_id, []):
            yield Candidat(
                f"impayes:{menage_id}:{depuis.mois:%Y%m}:{user_id}",
                TypeRappel.IMPAYES,
                user_id,
                f"{_dossier(dernier.menage)} : le seuil d’impayés du programme est franchi "
                f"(solde de {dernier.mois:%m/%Y}).",
                reverse("logements:dossier_locatif", args=[menage_id]),
                menage_id,
            )
    cesf = _intervenants(list(sans_loyer), (TypeIntervention.CESF,))
    for menage_id, dernier in sans_loyer.items():
        for user_id in cesf.get(menage_id, []):
            yield Candidat(
                f"loyerinconnu:{menage_id}:{user_id}",
                TypeRappel.LOYER_INCONNU,
                user_id,
                f"{_dossier(dernier.menage)} : impayé de {dernier.mois:%m/%Y} sans loyer connu, le seuil "
                "d’impayés ne peut pas être calculé. Saisissez le loyer et les charges avec l’impayé du mois.",
                reverse("logements:dossier_locatif", args=[menage_id]),
                menage_id,
            )


# A next step left undone this long after its day is no longer worth a reminder (the generation
# may have been down, not longer).
RATTRAPAGE_PROCHAINE_ETAPE_JOURS = 7


def prochaines_etapes(now):
    """A contact's dated next step, on its day, to the person who takes it on. The title names no
    household, only its reference: reminders may be sent by email."""
    today = timezone.localdate(now)
    contacts = Contact.objects.filter(
        prochaine_etape_le__lte=today,
        prochaine_etape_le__gte=today - datetime.timedelta(days=RATTRAPAGE_PROCHAINE_ETAPE_JOURS),
        prochaine_etape_par__isnull=False,
        menage__in=Menage.objects.en_cours(),
    ).values_list("pk", "menage_id", "menage__reference", "prochaine_etape_le", "prochaine_etape_par_id")
    for pk, menage_id, reference, le, user_id in contacts:
        yield Candidat(
            f"prochaineetape:{pk}:{le:%Y%m%d}:{user_id}",
            TypeRappel.PROCHAINE_ETAPE,
            user_id,
            f"Dossier {reference} : prochaine étape prévue le {le:%d/%m/%Y}.",
            reverse("accompagnement:contacts", args=[menage_id]),
            menage_id,
        )


GENERATEURS = [
    contacts_en_retard,
    echeances,
    seances,
    consultations_urgentes,
    seances_a_regulariser,
    validations,
    diagnostics,
    objectifs,
    temps_forts,
    suivis_post_sortie,
    consentements,
    impayes,
    prochaines_etapes,
]


def _autorises(candidats):
    """Keep only reminders about a household their recipient may see: its file, or for the
    arrears (about the tenant file) the households of the landlord's legal role."""
    from comptes.models import Utilisateur

    par_user = {}
    for c in candidats:
        if c.menage_id:
            par_user.setdefault(c.destinataire_id, set()).add(c.menage_id)
    visibles, locataires = {}, {}
    for user in (
        Utilisateur.objects.filter(pk__in=par_user)
        .prefetch_related("attributions_roles")
        .select_related("organisation")
    ):
        menages = Menage.objects.filter(pk__in=par_user[user.pk])
        visibles[user.pk] = set(menages.visible_to(user).values_list("pk", flat=True))
        locataires[user.pk] = set(menages.locataires_visible_to(user).values_list("pk", flat=True))
    return [
        c
        for c in candidats
        if c.menage_id is None
        or c.menage_id
        in (locataires if c.type in TYPES_DOSSIER_LOCATIF else visibles).get(c.destinataire_id, set())
    ]


def generer(now=None) -> int:
    """Create the reminders due at `now`; returns how many new rows were created."""
    now = now or timezone.now()
    candidats = [c for generateur in GENERATEURS for c in generateur(now)]
    candidats = _autorises(candidats)
    avant = Rappel.objects.count()
    Rappel.objects.bulk_create(
        [
            Rappel(
                cle=c.cle,
                type=c.type,
                destinataire_id=c.destinataire_id,
                menage_id=c.menage_id,
                titre=c.titre[:250],
                lien=c.lien,
                du_le=now,
            )
            for c in candidats
        ],
        ignore_conflicts=True,
    )
    return Rappel.objects.count() - avant
