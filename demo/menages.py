"""Fifty fictitious households spread over every step of the path, both landlords and every
referral source, for the demo (`seed_demo`). Deterministic: the same run gives the same data."""

import datetime
import random
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.db.models import Case, Value, When
from django.utils import timezone

from accompagnement import services as acc_services
from accompagnement.enums import Axe, FormeIml, Rythme, SituationSortie, TypeContact
from accompagnement.models import Contact
from comites.enums import Decision, TypePoint
from comptes.enums import CodeNiveau
from logements.enums import TypeBail
from logements.models import Bail
from menages import services
from menages.enums import (
    ETATS_ACCOMPAGNEMENT,
    DecisionFinanceur,
    EtapeBdf,
    EtatParcours,
    LienMembre,
    MotifRefus,
    MotifSortie,
    Partenaire,
    Problematique,
    Probleme,
    SituationLogement,
    SourceOrientation,
    TypeDiagnostic,
    TypeIntervention,
    TypeRessource,
)
from menages.forms import VERSION_NOTICE_ACTUELLE
from menages.models import Dette, Membre, Menage, Ressource

NOMS = [
    "Durand", "Lefèvre", "Garcia", "Moreau", "Bonnet", "Roche", "Perrin", "Faure", "Mercier", "Blanc",
    "Guérin", "Muller", "Henry", "Rousseau", "Nicolas", "Gauthier", "Chevalier", "Lambert", "Fontaine",
    "Brun",
    "Dupré", "Roussel", "Marchand", "Lemoine", "Noël", "Meunier", "Barbier", "Arnaud", "Giraud", "Aubert",
    "Caron", "Renaud", "Picard", "Leclerc", "Benoît", "Rolland", "Colin", "Vidal", "Bertrand", "Leroy",
    "Boyer", "Joly", "Gaillard", "Brunet", "Masson", "Sanchez", "Lopez", "Martinez", "Ferrand", "Carré",
]  # fmt: skip
PRENOMS = [
    "Hélène", "Éric", "Inès", "Jérôme", "Françoise", "Anaïs", "Noël", "Zoé", "Loïc", "Maëlle",
    "Aurélie", "Gaëtan", "Léa", "Célia", "Rémi", "Chloé", "Benoît", "Élodie", "Jérémy", "Océane",
]  # fmt: skip

# The target step of each household, in proportions that look like a programme in its first year.
ETATS = (
    [EtatParcours.SAISINE] * 4
    + [EtatParcours.PRE_DIAGNOSTIC] * 5
    + [EtatParcours.VALIDATION_FINANCEURS] * 5
    + [EtatParcours.DIAGNOSTIC] * 6
    + [EtatParcours.PROPOSITION_COMITE] * 4
    + [EtatParcours.ACCOMPAGNEMENT] * 14
    + [EtatParcours.RELAIS_SORTANT] * 3
    + [EtatParcours.CLOS] * 5
    + [EtatParcours.REFUSE] * 4
)
ORDRE = list(EtatParcours)

# The second programme of the demo (Pyrénées-Orientales, started later): fewer households, one at
# each step or so.
NOMS_PO = ["Casadevall", "Roig", "Sabaté", "Pujades", "Batlle", "Serra", "Mas", "Torrent", "Comas"]
ETATS_PO = [
    EtatParcours.SAISINE,
    EtatParcours.PRE_DIAGNOSTIC,
    EtatParcours.VALIDATION_FINANCEURS,
    EtatParcours.DIAGNOSTIC,
    EtatParcours.PROPOSITION_COMITE,
    EtatParcours.ACCOMPAGNEMENT,
    EtatParcours.ACCOMPAGNEMENT,
    EtatParcours.ACCOMPAGNEMENT,
    EtatParcours.REFUSE,
]


def _reached(target, etat):
    """Whether a household going to `target` passes through `etat` (refusal or closure aside)."""
    if target == EtatParcours.REFUSE:
        return ORDRE.index(etat) <= ORDRE.index(EtatParcours.VALIDATION_FINANCEURS)
    return ORDRE.index(etat) <= ORDRE.index(target)


def seed_menages(*, dispositif, organisations, communes, comptes, comite, count=50, noms=NOMS, etats=ETATS):
    """`comite` (demo.comites.Comite) takes the committee's decisions that give every level;
    `noms` and `etats` give each household its name and target step, in turn."""
    if Menage.objects.filter(dispositif=dispositif).count() >= count:
        return
    rng = random.Random(2026)  # noqa: S311 (demo data, not security)
    today = timezone.localdate()
    financeurs = [organisations["ddcspp"], organisations["cg"]]
    sources = list(SourceOrientation)
    for i in range(count):
        nom = f"{noms[i % len(noms)]} {PRENOMS[i % len(PRENOMS)]}"
        if Menage.objects.filter(dispositif=dispositif, nom=nom).exists():
            continue
        target = etats[i % len(etats)]
        bailleur_key = "habitat" if i % 2 == 0 else "alogea"
        cesf = comptes["cesf.habitat" if bailleur_key == "habitat" else "cesf.alogea"]
        ts = comptes["ts.adaff"]
        problematique = Problematique.ACCES if i % 3 == 0 else Problematique.MAINTIEN
        acces = problematique == Problematique.ACCES
        problemes = rng.sample(
            [
                Probleme.ISOLEMENT_SOCIAL,
                Probleme.SANS_DOMICILE,
                Probleme.JEUNE_PRIMO_ACCEDANT,
                Probleme.EXPULSIONS_REPETEES,
            ]
            if acces
            else [
                Probleme.TROUBLES_VOISINAGE,
                Probleme.IMPAYES,
                Probleme.INDECENCE,
                Probleme.HYGIENE,
                Probleme.INSALUBRITE,
            ],
            2,
        )
        saisine = today - datetime.timedelta(days=20 + (count - i) * 6)
        menage = services.creer_menage(
            dispositif=dispositif,
            auteur=cesf if i % 2 else None,
            nom=nom,
            bailleur=organisations[bailleur_key],
            commune=rng.choice(list(communes.values())),
            source_orientation=sources[i % len(sources)],
            orienteur="" if i % 4 else "Service social départemental",
            problematique=problematique,
            situation_logement=rng.choice(
                [
                    SituationLogement.HEBERGE_TIERS,
                    SituationLogement.HEBERGEMENT_SOCIAL,
                    SituationLogement.SANS_ABRI,
                ]
            )
            if acces
            else SituationLogement.LOCATAIRE_SOCIAL,
            adresse="" if acces else f"{rng.randint(1, 60)} rue des Lilas",
            eligible_dalo=acces and i % 2 == 0,
            public_pdalpd=True,
            date_information=saisine + datetime.timedelta(days=7),
            date_saisine=saisine,
            problemes=problemes,
        )
        if i % 2 == 0:
            services.ajouter_intervenant(
                menage=menage, type=TypeIntervention.CESF, utilisateur=cesf, date_debut=saisine
            )
        services.ajouter_intervenant(
            menage=menage, type=TypeIntervention.REFERENT, utilisateur=ts, date_debut=saisine
        )
        # The household agrees to sharing with every partner when it gets the notice.
        for partenaire in Partenaire:
            services.enregistrer_consentement(
                menage=menage,
                partenaire=partenaire,
                date_consentement=menage.date_information,
                version_notice=VERSION_NOTICE_ACTUELLE,
                auteur=ts,
            )
        prenom = PRENOMS[i % len(PRENOMS)]
        Membre.objects.create(
            menage=menage,
            nom=noms[i % len(noms)],
            prenom=prenom,
            lien=LienMembre.CHEF,
            date_naissance=datetime.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
        )
        for k in range(i % 3):
            Membre.objects.create(
                menage=menage,
                nom=noms[i % len(noms)],
                prenom=PRENOMS[(i + k + 5) % len(PRENOMS)],
                lien=LienMembre.ENFANT,
                date_naissance=datetime.date(2010 + k * 3, 3, 15),
            )
        Ressource.objects.create(
            menage=menage,
            type=TypeRessource.RSA if i % 3 else TypeRessource.AAH,
            montant_mensuel=Decimal("607.75") if i % 3 else Decimal("1016.05"),
        )
        if not acces:
            Ressource.objects.create(
                menage=menage, type=TypeRessource.APL, montant_mensuel=Decimal(210 + i * 3)
            )
            Dette.objects.create(
                menage=menage,
                creancier=str(organisations[bailleur_key]),
                montant=Decimal(800 + i * 45),
                etape_bdf=EtapeBdf.DEPOT if i % 5 == 0 else EtapeBdf.AUCUN,
            )
            # The file was filed a month after the referral (the step is dated when recorded).
            menage.etapes_bdf.update(date=saisine + datetime.timedelta(days=30))
        _advance(
            menage,
            target,
            ts=ts,
            cesf=cesf,
            financeurs=financeurs,
            comptes=comptes,
            rng=rng,
            i=i,
            comite=comite,
        )


def _advance(menage, target, *, ts, cesf, financeurs, comptes, rng, i, comite):
    E = EtatParcours
    if target == E.SAISINE:
        return
    auteur_pre = cesf if i % 2 else ts
    services.enregistrer_pre_diagnostic(
        menage=menage,
        auteur=auteur_pre,
        date=menage.date_saisine + datetime.timedelta(days=10),
        situation="Ménage rencontré au bureau puis à domicile. Composition et ressources vérifiées.",
        difficultes="Difficultés repérées lors des premiers échanges, détaillées dans le dossier.",
        dispositifs_mobilises="ASLL en 2024, sans suite." if i % 3 == 0 else "",
        motif_orientation="Aucun dispositif de droit commun ne répond seul à la situation.",
        propose=True,
    )
    if target == E.REFUSE and i % 2:
        services.changer_etat(
            menage=menage,
            vers=E.REFUSE,
            auteur=ts,
            motif_refus=MotifRefus.NON_ELIGIBLE,
            motif="Situation relevant d’un accompagnement de droit commun (ASLL).",
        )
        return
    if target == E.PRE_DIAGNOSTIC:
        return
    # The checked submission: the file holds what the funders read; their representatives are asked.
    services.demander_validations(menage=menage, auteur=auteur_pre)
    if target == E.VALIDATION_FINANCEURS:
        return
    if target == E.REFUSE:
        services.enregistrer_reponse_manuelle(
            menage=menage,
            financeur=financeurs[0],
            decision=DecisionFinanceur.REFUSEE,
            commentaire="Réponse par téléphone : situation déjà suivie en AVDL.",
            auteur=ts,
        )
        services.changer_etat(
            menage=menage, vers=E.REFUSE, auteur=ts, motif_refus=MotifRefus.REFUS_FINANCEURS
        )
        return
    for financeur in financeurs:
        services.enregistrer_reponse_manuelle(
            menage=menage,
            financeur=financeur,
            decision=DecisionFinanceur.VALIDEE,
            commentaire="Validé par courriel.",
            auteur=ts,
        )
    services.changer_etat(menage=menage, vers=E.DIAGNOSTIC, auteur=ts)
    niveau = [CodeNiveau.NIVEAU_1, CodeNiveau.NIVEAU_2, CodeNiveau.NIVEAU_2, CodeNiveau.NIVEAU_3][i % 4]
    if target != E.DIAGNOSTIC or i % 2:
        scores = {
            f"score_{d}": rng.randint(1, 3)
            for d in ("logement", "budget", "droits", "sante", "vie_sociale", "insertion")
        }
        services.enregistrer_diagnostic(
            menage=menage,
            auteur=ts,
            type=TypeDiagnostic.ENTREE,
            date=menage.date_saisine + datetime.timedelta(days=40),
            observations_budget="Budget à reprendre avec le ménage ; priorité au loyer courant.",
            observations_sante="Suivi médical à reprendre (information confidentielle).",
            niveau_propose=niveau,
            besoin_typologie="T2" if i % 3 else "T3",
            besoin_loyer_max=Decimal("420.00"),
            objectifs_envisages="Stabiliser le budget\nS’approprier le logement",
            **scores,
        )
    if target == E.DIAGNOSTIC:
        return
    Menage.objects.filter(pk=menage.pk).update(
        date_adhesion=menage.date_saisine + datetime.timedelta(days=45)
    )
    services.changer_etat(menage=menage, vers=E.PROPOSITION_COMITE, auteur=ts)
    if target == E.PROPOSITION_COMITE:
        return
    # The committee validates the proposal about two months after the referral (in the session
    # nearest before, or by an urgent consultation): the support starts on the decision's day.
    age = (timezone.localdate() - menage.date_saisine).days
    proposee = menage.date_saisine + datetime.timedelta(days=min(45, age // 3))
    voulu = menage.date_saisine + datetime.timedelta(days=min(60, age // 2))
    seance = comite.seance_pour(apres=proposee, voulu=voulu)
    if seance is None:
        return
    debut = timezone.localtime(seance.date).date()
    iml = None
    if niveau == CodeNiveau.NIVEAU_3:
        iml = {
            "partenaire": comptes["ts.hdm"].organisation,
            "forme": FormeIml.SOUS_LOCATION,
            "date_debut_contrat": debut,
        }
    comite.decider(
        menage=menage,
        type_point=TypePoint.NOUVELLE_PROPOSITION,
        decision=Decision.VALIDER,
        apres=proposee,
        voulu=voulu,
        niveau=niveau,
        duree_mois=12 if niveau == CodeNiveau.NIVEAU_3 else None,
        iml=iml,
    )
    menage.refresh_from_db()
    accompagnement = menage.accompagnements.get(date_fin__isnull=True)
    if i % 3:
        # Weekly at the start; the rythme eases after the first month for most households.
        acc_services.changer_rythme(
            accompagnement=accompagnement,
            rythme=[Rythme.HEBDOMADAIRE, Rythme.BIMENSUEL, Rythme.MENSUEL][i % 3],
            auteur=ts,
            date=min(debut + datetime.timedelta(days=30), timezone.localdate()),
        )
    if niveau == CodeNiveau.NIVEAU_3:
        services.ajouter_intervenant(
            menage=menage,
            type=TypeIntervention.TRAVAILLEUR_SOCIAL_IML,
            utilisateur=comptes["ts.hdm"],
            date_debut=debut,
        )
    if i % 5 == 0:
        services.ajouter_intervenant(
            menage=menage, type=TypeIntervention.TISF, utilisateur=comptes["tisf.afc"], date_debut=debut
        )
    _contacts(menage, accompagnement, ts=ts, tisf=comptes["tisf.afc"] if i % 5 == 0 else None, rng=rng, i=i)
    if menage.problematique == Problematique.ACCES and i % 2 == 0:
        # An access household that signed its lease during its support (the lease's own dated fact).
        Bail.objects.create(
            menage=menage,
            type=TypeBail.IML if niveau == CodeNiveau.NIVEAU_3 else TypeBail.DIRECT,
            date_signature=min(debut + datetime.timedelta(days=45), timezone.localdate()),
        )
    acc_services.creer_objectif(
        menage=menage,
        auteur=ts,
        axe=Axe.BUDGET,
        date_debut=debut,
        libelle="Payer le loyer courant chaque mois",
        date_revision=debut + datetime.timedelta(days=90),
    )
    acc_services.creer_objectif(
        menage=menage,
        auteur=ts,
        axe=Axe.APPROPRIATION,
        date_debut=debut,
        libelle="Entretenir le logement avec l’appui de la TISF",
    )
    if i % 3 == 0:
        # A health objective: reserved to social workers by default (comptes.confidentialite).
        acc_services.creer_objectif(
            menage=menage,
            auteur=ts,
            axe=Axe.SOINS,
            date_debut=debut,
            libelle="Reprendre le suivi médical auprès du médecin traitant",
        )
    if target == E.ACCOMPAGNEMENT:
        return
    # The exit relay, then the end, each decided by the committee (a session or a consultation).
    relais = comite.decider(
        menage=menage,
        type_point=TypePoint.CHANGEMENT_NIVEAU,
        decision=Decision.CHANGER_NIVEAU,
        apres=debut,
        voulu=debut + datetime.timedelta(days=min(150, (timezone.localdate() - debut).days // 2)),
        motif="Situation stabilisée : relais vers le droit commun proposé.",
        niveau=CodeNiveau.RELAIS_SORTANT,
        duree_mois=3,
    )
    if target == E.RELAIS_SORTANT or relais is None:
        return
    comite.decider(
        menage=menage,
        type_point=TypePoint.SORTIE,
        decision=Decision.TERMINER,
        apres=relais.decision_date_debut,
        voulu=debut + datetime.timedelta(days=200),
        motif="Objectifs atteints : sortie proposée.",
        motif_sortie=[MotifSortie.AUTONOMIE, MotifSortie.RELAIS_DROIT_COMMUN][i % 2],
        situation_sortie=SituationSortie.MAINTIEN,
    )


def _contacts(menage, accompagnement, *, ts, tisf, rng, i):
    """A contact every one to three weeks since the start; some households fall behind."""
    day = accompagnement.date_debut
    end = timezone.localdate() - datetime.timedelta(days=40 if i % 7 == 0 else 2)
    membres = list(menage.membres.all())
    while day <= end:
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        contact = Contact.objects.create(
            menage=menage,
            auteur=ts,
            date=when,
            type=rng.choice([TypeContact.VAD, TypeContact.VAD, TypeContact.TELEPHONE]),
            duree_minutes=rng.choice([30, 45, 60, 90]),
            axes=[Axe.BUDGET],
            note="Point sur le budget et le logement.",
        )
        contact.membres.set(membres[:1])
        if tisf and rng.random() < 0.5:
            Contact.objects.create(
                menage=menage,
                auteur=tisf,
                date=when + datetime.timedelta(days=2),
                type=TypeContact.TISF,
                duree_minutes=120,
                axes=[Axe.APPROPRIATION],
                note="Rangement et entretien avec la famille.",
            )
        day += datetime.timedelta(days=rng.randint(7, 21))
        dernier = contact
    if day > accompagnement.date_debut:
        # The last visit planned the next one: the worker's diary has something this week.
        dernier.prochaine_etape = "Prochaine visite à domicile : point sur le budget."
        dernier.prochaine_etape_le = timezone.localdate() + datetime.timedelta(days=1 + i % 6)
        dernier.prochaine_etape_par = ts
        dernier.save(update_fields=["prochaine_etape", "prochaine_etape_le", "prochaine_etape_par"])


def _jalons_du_suivi(menage) -> list[datetime.date]:
    """The days of the support's steps, in order: each committee decision that started it or moved
    it to the exit relay, then its end."""
    jalons = []
    for acc in sorted(menage.accompagnements.all(), key=lambda a: a.date_debut):
        changements = sorted(acc.changements_niveau.all(), key=lambda c: (c.date_effet, c.pk))
        jalons += [c.date_decision for c in changements]
        if acc.date_fin:
            jalons.append(acc.date_fin)
    return jalons


def _est_une_etape_du_suivi(evenement) -> bool:
    return evenement.etat_apres in ETATS_ACCOMPAGNEMENT or (
        evenement.etat_apres == EtatParcours.CLOS and evenement.etat_avant in ETATS_ACCOMPAGNEMENT
    )


def spread_event_dates(dispositif):
    """Events are written at seeding time; spread them from each household's referral so that the
    timelines read like real paths: the steps before the support every twelve days (before its
    start), the support's steps on the day of the committee decision that made them."""
    with disable_auditlog():
        for menage in Menage.objects.filter(dispositif=dispositif).prefetch_related(
            "evenements", "accompagnements__changements_niveau"
        ):
            evenements = sorted(menage.evenements.all(), key=lambda e: (e.date, e.pk))
            start = timezone.make_aware(datetime.datetime.combine(menage.date_saisine, datetime.time(9, 30)))
            suivi = [e for e in evenements if _est_une_etape_du_suivi(e)]
            avant = [e for e in evenements if not _est_une_etape_du_suivi(e)]
            for evenement, jour in zip(suivi, _jalons_du_suivi(menage), strict=False):
                evenement.date = timezone.make_aware(datetime.datetime.combine(jour, datetime.time(16)))
                evenement.save(update_fields=["date"])
            debut = suivi[0].date if suivi else timezone.now()
            for n, evenement in enumerate(avant):
                latest = debut - datetime.timedelta(hours=len(avant) - n)
                evenement.date = min(start + datetime.timedelta(days=n * 12), latest)
                evenement.save(update_fields=["date"])
                if evenement.etat_apres == EtatParcours.VALIDATION_FINANCEURS:
                    menage.validations.update(
                        demandee_le=evenement.date,
                        repondue_le=Case(
                            When(
                                repondue_le__isnull=False,
                                then=Value(evenement.date + datetime.timedelta(days=5)),
                            ),
                            default=None,
                        ),
                    )
            menage.intervenants.filter(date_debut__gt=menage.date_saisine, type=TypeIntervention.CESF).update(
                date_debut=menage.date_saisine
            )
