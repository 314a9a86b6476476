"""A programme-wide data set at scale, for benchmarks: `seed_scale --menages 10000`.

Households, members, support episodes, contacts, committees, and the tenant files of the landlords'
tenants (rent balances month by month over up to three years, complaints, caretakers' reports,
repayment plans, FSL aid, a few eviction procedures).

`--dispositifs 2` splits the households and contacts evenly between the demo's two programmes
(Aude, then Pyrénées-Orientales), as several programmes of the national call on one instance: each
programme's households have its landlords, its association's social workers, its committee's
decisions and references of its own prefix. The default (1) puts everything in the Aude programme.

Bulk inserts (no per-row signal, so no audit entry: this is synthetic data), deterministic, on top
of the demo data set. Refused outside demo mode, like seed_demo."""

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accompagnement.enums import (
    Axe,
    OrigineChangementNiveau,
    Rythme,
    SituationSortie,
    StatutObjectif,
    TypeContact,
)
from accompagnement.models import Accompagnement, ChangementNiveau, Contact, Objectif
from comites.enums import Decision, RoleMembre, TypeInstance, TypePoint
from comites.models import Instance, PointOrdreDuJour
from comptes.enums import CodeNiveau, Role, TypeOrganisation
from comptes.models import AttributionRole, Commune, Dispositif, Organisation, Utilisateur
from demo import comptes as comptes_demo
from demo.comites import seed_seances
from logements import impayes
from logements.enums import (
    DecisionFsl,
    EtapeProcedure,
    StatutPlanApurement,
    StatutReclamation,
    TypeBail,
    TypeReclamation,
)
from logements.models import (
    AideFsl,
    Bail,
    EtapeExpulsion,
    PlanApurement,
    Reclamation,
    SignalementGardien,
    SoldeLocatif,
)
from menages import effectifs
from menages.enums import (
    EtatParcours,
    LienMembre,
    MotifSortie,
    Partenaire,
    Problematique,
    SituationLogement,
    SourceOrientation,
    TypeIntervention,
    TypeRessource,
)
from menages.models import (
    ConsentementPartage,
    Diagnostic,
    EvenementParcours,
    Intervenant,
    Membre,
    Menage,
    Ressource,
    Saisine,
)
from menages.search import normalize

PRENOMS = [
    "Hélène",
    "Éric",
    "Inès",
    "Jérôme",
    "Françoise",
    "Anaïs",
    "Noël",
    "Zoé",
    "Loïc",
    "Maëlle",
    "Léa",
    "Rémi",
]
NOMS = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier"]  # fmt: skip
BATCH = 5000
# Households per social worker over the three years (about 40 followed at a time): a programme of
# 10,000 households has about a hundred social workers, not one. ts.adaff is the first of them.
MENAGES_PAR_TS = 100
MOIS_SOLDES = 36  # rent balances kept over three years at most
TEXTES_RECLAMATION = {
    TypeReclamation.TECHNIQUE: "Fuite sous l’évier signalée à l’agence ; intervention de l’entreprise à programmer.",
    TypeReclamation.TROUBLES_VOISINAGE: "Plainte d’un voisin pour du bruit en soirée ; rappel au règlement intérieur.",
    TypeReclamation.IMPAYES: "Le ménage appelle au sujet de son échéancier et de la régularisation des charges.",
    TypeReclamation.HYGIENE: "Encombrement du balcon signalé ; visite conjointe à prévoir avec la CESF.",
}


@dataclass(frozen=True)
class Programme:
    """What the data set at scale needs to know of one of the demo's programmes; the rest (its
    landlords, their CESF and caretakers, its committee and chair, its administrator) is read from
    the demo's organisations, roles and committee members."""

    code: str  # the Dispositif's code
    prefixe: str  # of the references: none may start with another programme's (`startswith` filters)
    travailleur_social: str  # the programme's social worker: the synthetic ones join her association
    prefixe_ts: str  # username prefix of the synthetic social workers, followed by their number
    nom_ts: str  # their last name, followed by their number
    communes: list  # (nom, code INSEE, code postal) of the programme's towns


PROGRAMMES = [
    Programme(
        code=comptes_demo.DISPOSITIF["code"],
        prefixe="ECH-",
        travailleur_social="ts.adaff",
        prefixe_ts="ts.echelle.",
        nom_ts="Échelle",
        communes=comptes_demo.COMMUNES,
    ),
    Programme(
        code=comptes_demo.DISPOSITIF_PO["code"],
        prefixe="ECHPO-",
        travailleur_social="ts.araf",
        prefixe_ts="ts.echelle.po.",
        nom_ts="Échelle PO",
        communes=comptes_demo.COMMUNES_PO,
    ),
]


def part(total: int, k: int, parts: int) -> int:
    """The k-th of `parts` even shares of `total` (the first ones take the remainder)."""
    return total // parts + (1 if k < total % parts else 0)


def personnel(bailleurs, role) -> dict:
    """The first account (by username) with `role` at each landlord of `bailleurs`, by its id."""
    comptes = Utilisateur.objects.filter(organisation__in=bailleurs, attributions_roles__role=role)
    premiers = {}
    for user in comptes.order_by("username"):
        premiers.setdefault(user.organisation_id, user)
    return premiers


class Command(BaseCommand):
    help = "Builds a large synthetic data set (households, members, contacts, committees) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--menages", type=int, default=10000)
        parser.add_argument(
            "--contacts",
            type=int,
            default=500000,
            help="Contacts asked for in all (one every three days of each support, none in the future: fewer when supports are recent).",
        )
        parser.add_argument(
            "--dispositifs",
            type=int,
            default=1,
            help=f"Programmes sharing the households and contacts evenly (1 to {len(PROGRAMMES)}; 1: Aude only).",
        )

    def handle(self, *args, menages, contacts, dispositifs=1, **options):
        if not settings.DEMO_MODE:
            raise CommandError("seed_scale ne s’exécute qu’en mode démonstration (DEMO_MODE=1).")
        if not 1 <= dispositifs <= len(PROGRAMMES):
            raise CommandError(
                f"--dispositifs vaut de 1 à {len(PROGRAMMES)} : la démonstration n’a que {len(PROGRAMMES)} "
                f"dispositifs ({', '.join(p.code for p in PROGRAMMES)})."
            )
        start = time.monotonic()
        programmes = PROGRAMMES[:dispositifs]
        presents = [
            p.code for p in programmes if Menage.objects.filter(reference__startswith=p.prefixe).exists()
        ]
        # Checked before the demo is loaded again: on a data set already built, loading the demo
        # would prepare the next committee's agenda anew, now with every scale household whose
        # level reaches its planned end (thousands of items on one session, which a re-run of
        # `make bench` added to the data it measures).
        if len(presents) == len(programmes):
            self.stdout.write("Jeu de données à l’échelle déjà présent.")
            return
        if presents:
            raise CommandError(
                f"Jeu de données à l’échelle déjà présent dans une partie des dispositifs seulement "
                f"({', '.join(presents)}) : le construire sur une base neuve."
            )
        call_command("seed_demo", stdout=self.stdout)
        with transaction.atomic():
            for k, programme in enumerate(programmes):
                # One generator per programme: a programme's data do not depend on the others'.
                rng = random.Random(10000 + k)  # noqa: S311 (synthetic data)
                dispositif = Dispositif.objects.get(code=programme.code)
                ids = self._menages(programme, dispositif, part(menages, k, dispositifs), rng)
                self._suivi(programme, dispositif, ids, part(contacts, k, dispositifs), rng)
                self._comites(programme, dispositif, ids, rng)
                self._dossiers_locatifs(programme, dispositif, rng)
            # bulk_create sends no signal: the monthly arrears totals and the landlords' counts by
            # step are computed once, at the end.
            impayes.recalculer()
            effectifs.recalculer()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh statistics for the planner, and the visibility map that index-only scans
                # read: a production database has both from autovacuum, a bulk load has neither
                # until autovacuum passes (never, on a server where it is off). VACUUM cannot run
                # in a transaction (a test's): statistics only, then.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        ou = (
            "dans le dispositif de l’Aude"
            if dispositifs == 1
            else f"répartis entre {dispositifs} dispositifs"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{menages} ménages et {Contact.objects.count()} contacts {ou} en {time.monotonic() - start:.0f} s."
            )
        )

    def _menages(self, programme, dispositif, n, rng):
        # The landlords and towns of this programme (the demo's second programme has its own).
        bailleurs = list(Organisation.objects.filter(type=TypeOrganisation.BAILLEUR, dispositifs=dispositif))
        communes = list(
            Commune.objects.filter(code_insee__in=[insee for _nom, insee, _cp in programme.communes])
        )
        today = timezone.localdate()
        etats = [EtatParcours.ACCOMPAGNEMENT] * 5 + [EtatParcours.CLOS] * 3 + [
            EtatParcours.SAISINE, EtatParcours.DIAGNOSTIC, EtatParcours.PROPOSITION_COMITE, EtatParcours.RELAIS_SORTANT,
            EtatParcours.REFUSE,
        ]  # fmt: skip
        rows = []
        for i in range(n):
            nom = f"{NOMS[i % len(NOMS)]} {PRENOMS[(i // len(NOMS)) % len(PRENOMS)]}"
            rows.append(
                Menage(
                    dispositif=dispositif,
                    reference=f"{programme.prefixe}{i + 1:06d}",
                    nom=nom,
                    nom_recherche=normalize(nom),
                    bailleur=bailleurs[i % len(bailleurs)],
                    commune=communes[i % len(communes)],
                    etat=etats[i % len(etats)],
                    date_saisine=today - datetime.timedelta(days=30 + rng.randint(0, 1000)),
                    source_orientation=list(SourceOrientation)[i % len(SourceOrientation)],
                    problematique=Problematique.ACCES if i % 3 == 0 else Problematique.MAINTIEN,
                    situation_logement=SituationLogement.HEBERGE_TIERS
                    if i % 3 == 0
                    else SituationLogement.LOCATAIRE_SOCIAL,
                )
            )
        Menage.objects.bulk_create(rows, batch_size=BATCH)
        Saisine.objects.bulk_create([Saisine.du_parcours_actuel(m) for m in rows], batch_size=BATCH)
        # Every household agreed to sharing with every partner (the pages measured show the files).
        ConsentementPartage.objects.bulk_create(
            [
                ConsentementPartage(
                    menage=m, partenaire=p, date_consentement=m.date_saisine, version_notice="Notice 2026"
                )
                for m in rows
                for p in Partenaire
            ],
            batch_size=BATCH,
        )
        menages = list(
            Menage.objects.filter(reference__startswith=programme.prefixe).values_list(
                "pk", "date_saisine", "etat", "nom"
            )
        )
        membres, ressources, evenements = [], [], []
        for pk, saisine, etat, nom in menages:
            famille = nom.split()[0]
            membres.append(Membre(menage_id=pk, nom=famille, prenom="Adulte", nom_recherche=normalize(nom), lien=LienMembre.CHEF,
                                  date_naissance=datetime.date(1960 + pk % 40, 1 + pk % 12, 1)))  # fmt: skip
            for k in range(pk % 3):
                membres.append(Membre(menage_id=pk, nom=famille, prenom=f"Enfant {k + 1}", nom_recherche=normalize(f"{famille} enfant"),
                                      lien=LienMembre.ENFANT, date_naissance=datetime.date(2012 + k, 6, 1)))  # fmt: skip
            ressources.append(
                Ressource(menage_id=pk, type=TypeRessource.RSA, montant_mensuel=Decimal("607.75"))
            )
            evenements.append(EvenementParcours(menage_id=pk, numero_parcours=1, etat_apres=EtatParcours.SAISINE,
                                                date=timezone.make_aware(datetime.datetime.combine(saisine, datetime.time(9)))))  # fmt: skip
            if etat != EtatParcours.SAISINE:
                evenements.append(EvenementParcours(menage_id=pk, numero_parcours=1, etat_avant=EtatParcours.SAISINE, etat_apres=etat,
                                                    date=timezone.make_aware(datetime.datetime.combine(saisine + datetime.timedelta(days=20), datetime.time(9)))))  # fmt: skip
        Membre.objects.bulk_create(membres, batch_size=BATCH)
        Menage.objects.filter(reference__startswith=programme.prefixe).rafraichir_recherche()
        Ressource.objects.bulk_create(ressources, batch_size=BATCH)
        EvenementParcours.objects.bulk_create(evenements, batch_size=BATCH)
        return menages

    def _travailleurs_sociaux(self, programme, n):
        """The programme's social worker and enough synthetic social workers of the same
        association for `n` households."""
        ts = Utilisateur.objects.get(username=programme.travailleur_social)
        nombre = max(1, n // MENAGES_PAR_TS)
        noms = [f"{programme.prefixe_ts}{k:03d}" for k in range(1, nombre)]
        Utilisateur.objects.bulk_create(
            [
                Utilisateur(
                    username=nom,
                    first_name=PRENOMS[k % len(PRENOMS)],
                    last_name=f"{programme.nom_ts} {k:03d}",
                    organisation_id=ts.organisation_id,
                    est_demo=True,
                    password=make_password(None),
                )  # fmt: skip
                for k, nom in enumerate(noms, start=1)
            ],
            batch_size=BATCH,
        )
        # By name, not by prefix: the Aude workers' prefix starts the other programme's.
        autres = list(Utilisateur.objects.filter(username__in=noms).order_by("username"))
        AttributionRole.objects.bulk_create(
            [AttributionRole(utilisateur=u, role=Role.TRAVAILLEUR_SOCIAL) for u in autres], batch_size=BATCH
        )
        return [ts, *autres]

    def _suivi(self, programme, dispositif, menages, total_contacts, rng):
        travailleurs = self._travailleurs_sociaux(programme, len(menages))
        referent_of = {pk: travailleurs[i % len(travailleurs)] for i, (pk, *_rest) in enumerate(menages)}
        cesf = personnel(
            Organisation.objects.filter(type=TypeOrganisation.BAILLEUR, dispositifs=dispositif), Role.CESF
        )
        bailleur_of = dict(
            Menage.objects.filter(reference__startswith=programme.prefixe).values_list("pk", "bailleur_id")
        )
        intervenants, episodes = [], []
        for pk, saisine, etat, _nom in menages:
            ts = referent_of[pk]
            intervenants.append(
                Intervenant(
                    menage_id=pk,
                    type=TypeIntervention.REFERENT,
                    organisation_id=ts.organisation_id,
                    utilisateur=ts,
                    date_debut=saisine,
                )
            )
            user = cesf.get(bailleur_of[pk])
            if user:
                intervenants.append(
                    Intervenant(
                        menage_id=pk,
                        type=TypeIntervention.CESF,
                        organisation_id=user.organisation_id,
                        utilisateur=user,
                        date_debut=saisine,
                    )
                )
            if etat in {EtatParcours.ACCOMPAGNEMENT, EtatParcours.RELAIS_SORTANT, EtatParcours.CLOS}:
                debut = saisine + datetime.timedelta(days=60)
                episodes.append(Accompagnement(
                    menage_id=pk, numero_parcours=1, niveau=CodeNiveau.NIVEAU_2 if pk % 2 else CodeNiveau.NIVEAU_1, date_debut=debut,
                    date_fin_prevue=debut + datetime.timedelta(days=364 if pk % 2 else 90),
                    date_fin=debut + datetime.timedelta(days=200) if etat == EtatParcours.CLOS else None,
                    motif_sortie=MotifSortie.AUTONOMIE if etat == EtatParcours.CLOS else "",
                    situation_sortie=SituationSortie.MAINTIEN if etat == EtatParcours.CLOS else "",
                    rythme=[Rythme.HEBDOMADAIRE, Rythme.BIMENSUEL, Rythme.MENSUEL][pk % 3],
                ))  # fmt: skip
        Intervenant.objects.bulk_create(intervenants, batch_size=BATCH)
        Accompagnement.objects.bulk_create(episodes, batch_size=BATCH)
        episodes = list(
            Accompagnement.objects.filter(menage__reference__startswith=programme.prefixe).values_list(
                "pk", "menage_id", "date_debut", "niveau"
            )
        )
        # A household's level is its episode's (none before its support starts).
        for code in {niv for *_rest, niv in episodes}:
            Menage.objects.filter(pk__in=[m for _a, m, _d, niv in episodes if niv == code]).update(
                niveau=code
            )
        ChangementNiveau.objects.bulk_create(
            [ChangementNiveau(accompagnement_id=a, nouveau_niveau=niv, date_effet=d, date_decision=d, date_fin_prevue=d + datetime.timedelta(days=300),
                              origine=OrigineChangementNiveau.ENTREE, motif="Décision du comité", auteur=referent_of[m]) for a, m, d, niv in episodes],
            batch_size=BATCH,
        )  # fmt: skip
        Diagnostic.objects.bulk_create(
            [Diagnostic(menage_id=m, numero_parcours=1, auteur=referent_of[m], date=d, score_logement=rng.randint(1, 4), score_budget=rng.randint(1, 4),
                        score_droits=2, score_sante=2, score_vie_sociale=3, score_insertion=2, niveau_propose=niv) for _a, m, d, niv in episodes],
            batch_size=BATCH,
        )  # fmt: skip
        Objectif.objects.bulk_create(
            [Objectif(menage_id=m, accompagnement_id=a, axe=Axe.BUDGET, libelle="Payer le loyer courant", date_debut=d, auteur=referent_of[m])
             for a, m, d, _niv in episodes], batch_size=BATCH,
        )  # fmt: skip
        # Dated facts the funder figures read: a lease for half the access households (signed during
        # their support), rights opened for a quarter of the households.
        today = timezone.localdate()
        acces = set(
            Menage.objects.filter(
                reference__startswith=programme.prefixe, problematique=Problematique.ACCES
            ).values_list("pk", flat=True)
        )
        Bail.objects.bulk_create(
            [Bail(menage_id=m, type=TypeBail.DIRECT, date_signature=min(d + datetime.timedelta(days=90), today))
             for _a, m, d, _niv in episodes if m in acces and m % 2 == 0], batch_size=BATCH,
        )  # fmt: skip
        Objectif.objects.bulk_create(
            [Objectif(menage_id=m, accompagnement_id=a, axe=Axe.ADMINISTRATIF, libelle="Ouvrir les droits", date_debut=d,
                      statut=StatutObjectif.ATTEINT, date_atteint=min(d + datetime.timedelta(days=60), today), auteur=referent_of[m])
             for a, m, d, _niv in episodes if m % 4 == 0], batch_size=BATCH,
        )  # fmt: skip
        per_episode = max(1, total_contacts // max(1, len(episodes)))
        now = timezone.now()
        batch = []
        for _a, m, d, _niv in episodes:
            start = timezone.make_aware(datetime.datetime.combine(d, datetime.time(10)))
            for k in range(per_episode):
                # One contact every three days from the start, none in the future: capping the
                # later ones at `now` piled a tenth of all contacts on the seed's minute (545 on
                # one social worker's day, a diary no one has).
                when = start + datetime.timedelta(days=k * 3)
                if when > now:
                    break
                batch.append(Contact(menage_id=m, auteur=referent_of[m], date=when, type=TypeContact.VAD if k % 3 else TypeContact.TELEPHONE, duree_minutes=45,
                                     axes=[Axe.BUDGET], note="Point sur le budget et le logement."))  # fmt: skip
                if len(batch) >= BATCH:
                    Contact.objects.bulk_create(batch)
                    batch = []
        Contact.objects.bulk_create(batch)

    def _dossiers_locatifs(self, programme, dispositif, rng):
        """The tenant files of the social tenants (households housed by a landlord): a rent balance
        every month since six months before the referral (three years at most), mostly up to date,
        some with arrears that come and go, a few that keep growing; complaints and caretakers'
        reports; a repayment plan and an FSL request for tenants whose arrears passed the
        threshold; an eviction procedure for a few of the heaviest."""
        from dateutil.relativedelta import relativedelta

        bailleurs = Organisation.objects.filter(type=TypeOrganisation.BAILLEUR, dispositifs=dispositif)
        cesf = {o: u.pk for o, u in personnel(bailleurs, Role.CESF).items()}
        gardiens = {o: u.pk for o, u in personnel(bailleurs, Role.GARDIEN).items()}
        locataires = Menage.objects.filter(
            reference__startswith=programme.prefixe, situation_logement=SituationLogement.LOCATAIRE_SOCIAL
        ).values_list("pk", "bailleur_id", "date_saisine")
        today = timezone.localdate()
        courant = today.replace(day=1)
        plus_ancien = courant - relativedelta(months=MOIS_SOLDES - 1)
        soldes, reclamations, signalements, plans, aides, etapes = [], [], [], [], [], []
        types = list(TEXTES_RECLAMATION)
        for pk, bailleur_id, saisine in locataires:
            auteur = cesf.get(bailleur_id)
            debut = max(plus_ancien, saisine.replace(day=1) - relativedelta(months=6))
            nb_mois = (courant.year - debut.year) * 12 + courant.month - debut.month + 1
            mois = [debut + relativedelta(months=k) for k in range(nb_mois)]
            profil = rng.random()  # < 0.55 up to date, < 0.85 occasional arrears, else growing
            loyer = Decimal(380 + rng.randint(0, 160))
            seuil = dispositif.seuil_impayes_mois * loyer
            solde, pic, mois_pic = Decimal("0"), Decimal("0"), None
            for m in mois:
                if profil >= 0.55:
                    manque = rng.random() < (0.2 if profil < 0.85 else 0.55)
                    if manque:
                        solde += loyer
                    elif solde:
                        solde = max(Decimal("0"), solde - Decimal(rng.randint(50, 300)))
                if solde > pic:
                    pic, mois_pic = solde, m
                soldes.append(
                    SoldeLocatif(menage_id=pk, auteur_id=auteur, mois=m, solde=solde, loyer_charges=loyer)
                )
            for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3))):
                jour = mois[0] + datetime.timedelta(days=rng.randint(0, (today - mois[0]).days))
                type_ = rng.choice(types)
                ouverte = (today - jour).days < 60 and rng.random() < 0.6
                reclamations.append(Reclamation(
                    menage_id=pk, auteur_id=auteur, type=type_, date=jour, description=TEXTES_RECLAMATION[type_],
                    statut=StatutReclamation.OUVERTE if ouverte else StatutReclamation.TRAITEE,
                    date_cloture=None if ouverte else min(today, jour + datetime.timedelta(days=15)),
                    resolution="" if ouverte else "Traitée avec le locataire.",
                ))  # fmt: skip
            if rng.random() < 0.3:
                for _ in range(rng.randint(1, 2)):
                    jour = mois[0] + datetime.timedelta(days=rng.randint(0, (today - mois[0]).days))
                    type_ = rng.choice(types)
                    signalements.append(SignalementGardien(
                        menage_id=pk, auteur_id=gardiens.get(bailleur_id), date=jour, nature=type_,
                        texte="Constaté lors de la tournée ; le locataire a été prévenu.",
                    ))  # fmt: skip
            if pic >= seuil and mois_pic < courant:
                debut_plan = mois_pic + relativedelta(months=1)
                plans.append(PlanApurement(
                    menage_id=pk, auteur_id=auteur, date_debut=debut_plan, montant_dette=pic,
                    mensualite=Decimal(rng.choice((50, 80, 100, 150))), statut=rng.choice(list(StatutPlanApurement)),
                ))  # fmt: skip
            if pic >= loyer and mois_pic < courant and rng.random() < 0.5:
                decision = rng.choice(
                    [DecisionFsl.ACCORDEE] * 3 + [DecisionFsl.REFUSEE, DecisionFsl.DEMANDEE]
                )
                demande = mois_pic + datetime.timedelta(days=rng.randint(5, 25))
                aides.append(AideFsl(
                    menage_id=pk, auteur_id=auteur, date_demande=demande, montant=min(pic, Decimal("1500")), decision=decision,
                    date_decision=None if decision == DecisionFsl.DEMANDEE else min(demande + datetime.timedelta(days=45), today),
                ))  # fmt: skip
            if pic >= 3 * loyer and rng.random() < 0.25:
                for k, etape in enumerate(list(EtapeProcedure)[: rng.randint(1, 4)]):
                    jour = min(mois_pic + relativedelta(months=2 * k), today)
                    etapes.append(EtapeExpulsion(menage_id=pk, auteur_id=auteur, etape=etape, date=jour))  # fmt: skip
        for model, rows in (
            (SoldeLocatif, soldes), (Reclamation, reclamations), (SignalementGardien, signalements),
            (PlanApurement, plans), (AideFsl, aides), (EtapeExpulsion, etapes),
        ):  # fmt: skip
            model.objects.bulk_create(rows, batch_size=BATCH)

    def _comites(self, programme, dispositif, menages, rng):
        """The committee's decisions behind the levels: each episode starts by the validation of the
        last session held on or before its start, and ends by a « mettre fin » decision of the last
        session held before its end (after its start). An episode that began before the first
        session held, or ended without one in between, is an administrator's correction with its
        reason (the scale set's history goes back before the programme's first committee)."""
        import bisect

        instance = Instance.objects.get(dispositif=dispositif, type=TypeInstance.COMITE_SUIVI)
        # The decisions go to the sessions held (settled by seed_demo).
        tenues = seed_seances(instance=instance)
        jours = [timezone.localtime(s.date).date() for s in tenues]
        president = instance.membres.get(role=RoleMembre.PRESIDENT).utilisateur

        def tenue_au(jour):
            """The last session held on or before `jour`, and its day."""
            k = bisect.bisect_right(jours, jour)
            return (tenues[k - 1], jours[k - 1]) if k else (None, None)

        episodes = list(
            Accompagnement.objects.filter(menage__reference__startswith=programme.prefixe).values_list(
                "pk", "menage_id", "niveau", "date_debut", "date_fin"
            )
        )
        points, ordre = [], 0
        debuts, fins = {}, {}
        for _a, m, niveau, debut, date_fin in episodes:
            seance, jour = tenue_au(debut)
            if seance is not None:
                ordre += 1
                debuts[m] = jour
                points.append(PointOrdreDuJour(
                    seance=seance, menage_id=m, type=TypePoint.NOUVELLE_PROPOSITION, ordre=ordre, niveau_propose=niveau,
                    decision=Decision.VALIDER, decision_niveau=niveau, decision_date_debut=debut,
                    decide_le=seance.date, decide_par=president,
                ))  # fmt: skip
            if date_fin is not None:
                seance, jour = tenue_au(date_fin)
                if seance is not None and jour > debut:
                    ordre += 1
                    fins[m] = jour
                    points.append(PointOrdreDuJour(
                        seance=seance, menage_id=m, type=TypePoint.SORTIE, ordre=ordre, decision=Decision.TERMINER,
                        decision_date_debut=date_fin, decide_le=seance.date, decide_par=president,
                    ))  # fmt: skip
        # The households in exit relay went there by a « changer de niveau » decision of the last
        # session held after their start (or an administrator's correction without one).
        en_relais = {pk for pk, _saisine, etat, _nom in menages if etat == EtatParcours.RELAIS_SORTANT}
        derniere, dernier_jour = tenue_au(timezone.localdate())
        relais = {}
        for a, m, niveau, debut, _date_fin in episodes:
            if m not in en_relais:
                continue
            if derniere is not None and dernier_jour > debut:
                ordre += 1
                relais[m] = (a, niveau, dernier_jour)
                points.append(PointOrdreDuJour(
                    seance=derniere, menage_id=m, type=TypePoint.CHANGEMENT_NIVEAU, ordre=ordre,
                    niveau_propose=CodeNiveau.RELAIS_SORTANT, duree_proposee_mois=3, decision=Decision.CHANGER_NIVEAU,
                    decision_niveau=CodeNiveau.RELAIS_SORTANT, decision_date_debut=dernier_jour, decision_duree_mois=3,
                    decide_le=derniere.date, decide_par=president,
                ))  # fmt: skip
            else:
                relais[m] = (a, niveau, None)
        refuses = [pk for pk, _saisine, etat, _nom in menages if etat == EtatParcours.REFUSE]
        for n, pk in enumerate(refuses):
            if tenues:
                ordre += 1
                seance = tenues[n % len(tenues)]
                points.append(PointOrdreDuJour(
                    seance=seance, menage_id=pk, type=TypePoint.NOUVELLE_PROPOSITION, ordre=ordre,
                    niveau_propose=CodeNiveau.NIVEAU_2, decision=Decision.REFUSER, decide_le=seance.date, decide_par=president,
                ))  # fmt: skip
        PointOrdreDuJour.objects.bulk_create(points, batch_size=BATCH)
        decision_of = {(p.menage_id, p.decision): p.pk for p in points}
        aujourdhui = timezone.localdate()
        # The programme's administrator (of an organisation taking part in it) signs the corrections.
        administrateur = (
            Utilisateur.objects.filter(
                organisation__dispositifs=dispositif, attributions_roles__role=Role.ADMINISTRATEUR
            )
            .order_by("username")
            .first()
        )
        ChangementNiveau.objects.bulk_create(
            [
                ChangementNiveau(
                    accompagnement_id=a, ancien_niveau=niveau, nouveau_niveau=CodeNiveau.RELAIS_SORTANT,
                    date_effet=jour or aujourdhui, date_decision=jour or aujourdhui,
                    date_fin_prevue=(jour or aujourdhui) + datetime.timedelta(days=90),
                    origine=OrigineChangementNiveau.COMITE if jour else OrigineChangementNiveau.ADMINISTRATEUR,
                    decision_id=decision_of[m, Decision.CHANGER_NIVEAU] if jour else None,
                    motif="Décision du comité" if jour else "Reprise des données : relais sortant sans comité tenu depuis le début.",
                    auteur=president if jour else administrateur,
                )
                for m, (a, niveau, jour) in relais.items()
            ],
            batch_size=BATCH,
        )  # fmt: skip
        Accompagnement.objects.filter(pk__in=[a for a, _n, _j in relais.values()]).update(
            niveau=CodeNiveau.RELAIS_SORTANT
        )
        Menage.objects.filter(pk__in=list(relais)).update(niveau=CodeNiveau.RELAIS_SORTANT)
        entrees = list(
            ChangementNiveau.objects.filter(
                accompagnement__menage__reference__startswith=programme.prefixe,
                origine=OrigineChangementNiveau.ENTREE,
            ).values_list("pk", "accompagnement__menage_id")
        )
        ChangementNiveau.objects.bulk_update(
            [
                ChangementNiveau(pk=c, decision_id=decision_of[m, Decision.VALIDER], date_decision=debuts[m])
                for c, m in entrees
                if m in debuts
            ],
            ["decision", "date_decision"],
            batch_size=BATCH,
        )
        ChangementNiveau.objects.filter(pk__in=[c for c, m in entrees if m not in debuts]).update(
            origine=OrigineChangementNiveau.ADMINISTRATEUR,
            motif="Reprise des données : accompagnement commencé avant le premier comité de suivi tenu.",
        )
        Accompagnement.objects.bulk_update(
            [
                Accompagnement(pk=a, decision_fin_id=decision_of[m, Decision.TERMINER])
                for a, m, *_rest in episodes
                if m in fins
            ],
            ["decision_fin"],
            batch_size=BATCH,
        )
        Accompagnement.objects.filter(
            menage__reference__startswith=programme.prefixe, date_fin__isnull=False, decision_fin__isnull=True
        ).update(correction_fin="Reprise des données : fin antérieure à un comité de suivi tenu.")
