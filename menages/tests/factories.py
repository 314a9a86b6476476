from decimal import Decimal

import factory

from comptes.enums import CodeNiveau
from comptes.tests.factories import CommuneFactory, DispositifFactory
from menages import effectifs
from menages.enums import (
    EtatParcours,
    LienMembre,
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
    Intervenant,
    Membre,
    Menage,
    PreDiagnostic,
    Ressource,
    Saisine,
)


class MenageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Menage
        skip_postgeneration_save = True

    dispositif = factory.SubFactory(DispositifFactory)
    reference = factory.Sequence(lambda n: f"ASEA-2026-{n + 1:04d}")
    nom = factory.Sequence(lambda n: f"Ménage {n}")
    commune = factory.SubFactory(CommuneFactory)
    source_orientation = SourceOrientation.SIAO
    problematique = Problematique.ACCES
    situation_logement = SituationLogement.HEBERGE_TIERS

    class Params:
        # One trait per step of the path (the default is the referral, EtatParcours.SAISINE).
        en_pre_diagnostic = factory.Trait(etat=EtatParcours.PRE_DIAGNOSTIC)
        en_validation_financeurs = factory.Trait(etat=EtatParcours.VALIDATION_FINANCEURS)
        en_diagnostic = factory.Trait(etat=EtatParcours.DIAGNOSTIC)
        propose_au_comite = factory.Trait(etat=EtatParcours.PROPOSITION_COMITE)
        en_accompagnement = factory.Trait(etat=EtatParcours.ACCOMPAGNEMENT)
        en_relais_sortant = factory.Trait(etat=EtatParcours.RELAIS_SORTANT)
        clos = factory.Trait(etat=EtatParcours.CLOS)
        refuse = factory.Trait(etat=EtatParcours.REFUSE)

    @factory.post_generation
    def saisine(self, create, extracted, **kwargs):
        """The referral of the household's current path, as `menages.services` records it."""
        if create:
            Saisine.objects.get_or_create(
                menage=self,
                numero_parcours=self.numero_parcours,
                defaults={
                    "date": self.date_saisine,
                    "source_orientation": self.source_orientation,
                    "problematique": self.problematique,
                    "bailleur": self.bailleur,
                },
            )

    @factory.post_generation
    def consentements(self, create, extracted, **kwargs):
        """The household's consent to sharing with every partner, unless told which
        (`consentements=[]`: none, as for a household that has not agreed yet)."""
        if create:
            partenaires = Partenaire.values if extracted is None else extracted
            ConsentementPartage.objects.bulk_create(
                ConsentementPartage(
                    menage=self, partenaire=p, date_consentement=self.date_saisine, version_notice="2026-01"
                )
                for p in partenaires
            )
            if self.bailleur_id is not None and Partenaire.BAILLEUR in partenaires:
                # bulk_create sends no signal: the landlord's count, as menages.effectifs keeps it.
                effectifs.recalculer(bailleur_id=self.bailleur_id, dispositif_id=self.dispositif_id)


class IntervenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervenant

    menage = factory.SubFactory(MenageFactory)
    type = TypeIntervention.REFERENT
    utilisateur = None
    organisation = factory.LazyAttribute(lambda i: i.utilisateur.organisation if i.utilisateur else None)


class MembreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membre

    menage = factory.SubFactory(MenageFactory)
    nom = factory.LazyAttribute(lambda m: m.menage.nom.split()[0])
    prenom = factory.Sequence(lambda n: f"Prénom{n}")
    lien = LienMembre.CHEF


class RessourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ressource

    menage = factory.SubFactory(MenageFactory)
    type = TypeRessource.RSA
    montant_mensuel = Decimal("635.71")


class DiagnosticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnostic

    menage = factory.SubFactory(MenageFactory)
    numero_parcours = factory.LazyAttribute(lambda d: d.menage.numero_parcours)
    score_logement = 2
    score_budget = 1
    score_droits = 3
    score_sante = 2
    score_vie_sociale = 3
    score_insertion = 2
    niveau_propose = CodeNiveau.NIVEAU_2


class PreDiagnosticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreDiagnostic

    menage = factory.SubFactory(MenageFactory)
    numero_parcours = factory.LazyAttribute(lambda p: p.menage.numero_parcours)
    organisation = factory.LazyAttribute(lambda p: p.auteur.organisation)
    situation = "Situation décrite lors de l’entretien."
    difficultes = "Difficultés repérées."
    motif_orientation = "Aucun dispositif de droit commun ne convient."
    propose = True
