from django.db import models


class EtatParcours(models.TextChoices):
    SAISINE = "saisine", "Saisine / orientation"
    PRE_DIAGNOSTIC = "pre_diagnostic", "Pré-diagnostic"
    VALIDATION_FINANCEURS = "validation_financeurs", "Validation des financeurs"
    DIAGNOSTIC = "diagnostic", "Diagnostic approfondi"
    PROPOSITION_COMITE = "proposition_comite", "Proposition au comité de suivi"
    ACCOMPAGNEMENT = "accompagnement", "Accompagnement"
    RELAIS_SORTANT = "relais_sortant", "Relais sortant"
    CLOS = "clos", "Clos"
    REFUSE = "refuse", "Refusé"


# Steps that end a path: the household is no longer followed (a new referral opens a new path).
ETATS_TERMINES = frozenset({EtatParcours.CLOS, EtatParcours.REFUSE})
# Steps of the support itself (a level, then the exit relay): contacts follow a rythme.
ETATS_ACCOMPAGNEMENT = frozenset({EtatParcours.ACCOMPAGNEMENT, EtatParcours.RELAIS_SORTANT})


class TypeIntervention(models.TextChoices):
    REFERENT = "referent", "Travailleur social référent"
    CESF = "cesf", "CESF du bailleur"
    TRAVAILLEUR_SOCIAL_IML = "ts_iml", "Travailleur social IML"
    TISF = "tisf", "TISF"
    PARTENAIRE_EXTERNE = "partenaire_externe", "Partenaire extérieur"


class MotifSortie(models.TextChoices):
    AUTONOMIE = "autonomie", "Autonomie"
    RELAIS_DROIT_COMMUN = "relais_droit_commun", "Relais vers le droit commun"
    REFUS_ABANDON = "refus_abandon", "Refus ou abandon du ménage"
    DEMENAGEMENT = "demenagement", "Déménagement"
    EXPULSION = "expulsion", "Expulsion"
    DECES = "deces", "Décès"
    AUTRE = "autre", "Autre"


class MotifRefus(models.TextChoices):
    NON_ELIGIBLE = "non_eligible", "Ne relève pas du dispositif"
    REFUS_FINANCEURS = "refus_financeurs", "Refus des financeurs"
    REFUS_COMITE = "refus_comite", "Refus du comité de suivi"
    REFUS_MENAGE = "refus_menage", "Refus du ménage"
    AUTRE = "autre", "Autre"


class Problematique(models.TextChoices):
    ACCES = "acces", "Accès au logement"
    MAINTIEN = "maintien", "Maintien dans le logement"


class Probleme(models.TextChoices):
    # Access problems
    ISOLEMENT_SOCIAL = "isolement_social", "Isolement social"
    SANS_DOMICILE = "sans_domicile", "Sans domicile personnel"
    JEUNE_PRIMO_ACCEDANT = "jeune_primo_accedant", "Jeune primo-accédant"
    EXPULSIONS_REPETEES = "expulsions_repetees", "Procédures d’expulsion répétées"
    # Tenancy problems
    TROUBLES_VOISINAGE = "troubles_voisinage", "Troubles de voisinage"
    INDECENCE = "indecence", "Indécence du logement"
    INSALUBRITE = "insalubrite", "Insalubrité"
    IMPAYES = "impayes", "Impayés de loyer"
    HYGIENE = "hygiene", "Troubles d’hygiène"
    AUTRE = "autre", "Autre difficulté"


class SourceOrientation(models.TextChoices):
    INTERNE_BAILLEUR = "interne_bailleur", "Saisine interne du bailleur"
    COMMISSION_DALO = "commission_dalo", "Commission technique DALO"
    SIAO = "siao", "SIAO"
    CCAPEX = "ccapex", "CCAPEX"
    TRAVAILLEUR_SOCIAL = "travailleur_social", "Travailleur social du territoire"


class SituationLogement(models.TextChoices):
    SANS_ABRI = "sans_abri", "Sans abri"
    HEBERGE_TIERS = "heberge_tiers", "Hébergé chez un tiers"
    HEBERGEMENT_SOCIAL = "hebergement_social", "Hébergement d’urgence ou d’insertion (CHRS…)"
    LOCATAIRE_SOCIAL = "locataire_social", "Locataire du parc social"
    LOCATAIRE_PRIVE = "locataire_prive", "Locataire du parc privé"
    SOUS_LOCATAIRE = "sous_locataire", "Sous-locataire (IML)"
    AUTRE = "autre", "Autre"


class LienMembre(models.TextChoices):
    CHEF = "chef", "Chef de ménage"
    CONJOINT = "conjoint", "Conjoint ou conjointe"
    ENFANT = "enfant", "Enfant"
    AUTRE = "autre", "Autre personne"


class TypeRessource(models.TextChoices):
    SALAIRE = "salaire", "Salaire"
    RSA = "rsa", "RSA"
    AAH = "aah", "AAH"
    APL = "apl", "APL / AL"
    PENSION = "pension", "Pension de retraite ou d’invalidité"
    ALLOCATIONS_FAMILIALES = "allocations_familiales", "Allocations familiales"
    CHOMAGE = "chomage", "Allocation chômage"
    PENSION_ALIMENTAIRE = "pension_alimentaire", "Pension alimentaire"
    PRIME_ACTIVITE = "prime_activite", "Prime d’activité"
    AUTRE = "autre", "Autre ressource"


class EtapeBdf(models.TextChoices):
    AUCUN = "", "Pas de dossier"
    DEPOT = "depot", "Dossier déposé"
    RECEVABLE = "recevable", "Dossier recevable"
    PLAN_CONVENTIONNEL = "plan_conventionnel", "Plan conventionnel"
    MESURES_IMPOSEES = "mesures_imposees", "Mesures imposées"
    RETABLISSEMENT = "retablissement", "Rétablissement personnel"
    CLOS = "clos", "Dossier clos"


class DecisionFinanceur(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    VALIDEE = "validee", "Validé"
    REFUSEE = "refusee", "Refusé"


class ModeReponse(models.TextChoices):
    LIEN = "lien", "Par le lien du courriel"
    SAISIE = "saisie", "Saisie par un professionnel"


class DomaineDiagnostic(models.TextChoices):
    LOGEMENT = "logement", "Logement"
    BUDGET = "budget", "Budget"
    DROITS = "droits", "Droits et démarches administratives"
    SANTE = "sante", "Santé"
    VIE_SOCIALE = "vie_sociale", "Vie sociale et familiale"
    INSERTION = "insertion", "Insertion"


class Autonomie(models.IntegerChoices):
    NON_AUTONOME = 1, "1 – Non autonome"
    PEU_AUTONOME = 2, "2 – Peu autonome"
    PARTIELLEMENT = 3, "3 – Partiellement autonome"
    AUTONOME = 4, "4 – Autonome"


class TypeDiagnostic(models.TextChoices):
    ENTREE = "entree", "Diagnostic d’entrée"
    SORTIE = "sortie", "Diagnostic de sortie"


class Typologie(models.TextChoices):
    T1 = "T1", "T1"
    T2 = "T2", "T2"
    T3 = "T3", "T3"
    T4 = "T4", "T4"
    T5 = "T5", "T5"
    T6 = "T6", "T6 et plus"


class Partenaire(models.TextChoices):
    """The partners a household's file is shared with, each only with the household's consent
    (CNIL). The association that runs the support is the programme itself: no consent to share."""

    BAILLEUR = "bailleur", "Bailleur (CESF, chargé·e d’attribution)"
    IML = "iml", "Partenaire IML"
    TISF = "tisf", "Service TISF"
    FINANCEURS = "financeurs", "Financeurs (validation de l’entrée)"


# Which partner an organisation is, by its type; None: no consent asked (the association).
PARTENAIRE_PAR_TYPE_ORGANISATION = {
    "bailleur": Partenaire.BAILLEUR,
    "partenaire_iml": Partenaire.IML,
    "service_tisf": Partenaire.TISF,
    "financeur": Partenaire.FINANCEURS,
}
