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
from comptes.enums import CodeNiveau
from logements.enums import TypeBail
from logements.models import Bail
from menages import services
from menages.enums import (
    DecisionFinanceur,
    EtapeBdf,
    EtatParcours,
    LienMembre,
    MotifRefus,
    MotifSortie,
    Problematique,
    Probleme,
    SituationLogement,
    SourceOrientation,
    TypeDiagnostic,
    TypeIntervention,
    TypeRessource,
)
from menages.models import Dette, Membre, Menage, Ressource, ValidationFinanceur

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


def _reached(target, etat):
    """Whether a household going to `target` passes through `etat` (refusal or closure aside)."""
    if target == EtatParcours.REFUSE:
        return ORDRE.index(etat) <= ORDRE.index(EtatParcours.VALIDATION_FINANCEURS)
    return ORDRE.index(etat) <= ORDRE.index(target)


def seed_menages(*, dispositif, organisations, communes, comptes, count=50):
    if Menage.objects.filter(dispositif=dispositif).count() >= count:
        return
    rng = random.Random(2026)  # noqa: S311 (demo data, not security)
    today = timezone.localdate()
    financeurs = [organisations["ddcspp"], organisations["cg"]]
    sources = list(SourceOrientation)
    for i in range(count):
        nom = f"{NOMS[i]} {PRENOMS[i % len(PRENOMS)]}"
        if Menage.objects.filter(dispositif=dispositif, nom=nom).exists():
            continue
        target = ETATS[i % len(ETATS)]
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
        prenom = PRENOMS[i % len(PRENOMS)]
        Membre.objects.create(
            menage=menage,
            nom=NOMS[i],
            prenom=prenom,
            lien=LienMembre.CHEF,
            date_naissance=datetime.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
        )
        for k in range(i % 3):
            Membre.objects.create(
                menage=menage,
                nom=NOMS[i],
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
        _advance(menage, target, ts=ts, cesf=cesf, financeurs=financeurs, comptes=comptes, rng=rng, i=i)


def _advance(menage, target, *, ts, cesf, financeurs, comptes, rng, i):
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
    services.changer_etat(menage=menage, vers=E.VALIDATION_FINANCEURS, auteur=auteur_pre)
    if target == E.VALIDATION_FINANCEURS:
        ValidationFinanceur.objects.create(
            menage=menage,
            numero_parcours=1,
            financeur=financeurs[0],
            destinataire=comptes["financeur.ddcspp"],
            demandee_par=auteur_pre,
        )
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
    # Support starts about two months after referral, and never in the future.
    debut = menage.date_saisine + datetime.timedelta(
        days=min(60, (timezone.localdate() - menage.date_saisine).days // 2)
    )
    iml = None
    if niveau == CodeNiveau.NIVEAU_3:
        iml = {
            "partenaire": comptes["ts.hdm"].organisation,
            "forme": FormeIml.SOUS_LOCATION,
            "date_debut_contrat": debut,
        }
    accompagnement = acc_services.demarrer_accompagnement(
        menage=menage,
        niveau=niveau,
        date_debut=debut,
        duree_mois=12 if niveau == CodeNiveau.NIVEAU_3 else None,
        rythme=[Rythme.HEBDOMADAIRE, Rythme.BIMENSUEL, Rythme.MENSUEL][i % 3],
        # The demo's past is taken over by the administrator, with the reason written (shown apart).
        correction=f"Reprise de l’historique : accompagnement validé par le comité du {debut:%d/%m/%Y}.",
        auteur=comptes["admin"],
        iml=iml,
        date_decision=debut,
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
    if target == E.ACCOMPAGNEMENT:
        return
    acc_services.changer_niveau(
        accompagnement=accompagnement,
        niveau=CodeNiveau.RELAIS_SORTANT,
        duree_mois=3,
        date_effet=min(debut + datetime.timedelta(days=150), timezone.localdate()),
        date_decision=min(debut + datetime.timedelta(days=150), timezone.localdate()),
        correction="Reprise de l’historique : situation stabilisée, relais vers le droit commun.",
        auteur=comptes["admin"],
    )
    if target == E.RELAIS_SORTANT:
        return
    acc_services.clore_accompagnement(
        accompagnement=accompagnement,
        auteur=comptes["admin"],
        correction="Reprise de l’historique : sortie décidée par le comité.",
        date_fin=min(debut + datetime.timedelta(days=200), timezone.localdate()),
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


def spread_event_dates(dispositif):
    """Events are written at seeding time; spread them from each household's referral so that the
    timelines read like real paths."""
    with disable_auditlog():
        for menage in Menage.objects.filter(dispositif=dispositif).prefetch_related("evenements"):
            evenements = sorted(menage.evenements.all(), key=lambda e: (e.date, e.pk))
            start = timezone.make_aware(datetime.datetime.combine(menage.date_saisine, datetime.time(9, 30)))
            for n, evenement in enumerate(evenements):
                latest = timezone.now() - datetime.timedelta(hours=len(evenements) - n)
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
