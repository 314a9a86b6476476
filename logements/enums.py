from django.db import models


class Typologie(models.TextChoices):
    T1 = "T1", "T1"
    T2 = "T2", "T2"
    T3 = "T3", "T3"
    T4 = "T4", "T4"
    T5 = "T5", "T5"
    T6 = "T6", "T6 et plus"


class StatutLogement(models.TextChoices):
    OCCUPE = "occupe", "Occupé"
    VACANT = "vacant", "Vacant"
    EN_ROTATION = "en_rotation", "En rotation"


# Dwellings that can be offered to a household: vacant now, or about to be (notice given).
STATUTS_DISPONIBLES = frozenset({StatutLogement.VACANT, StatutLogement.EN_ROTATION})


class EtiquetteEnergetique(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    G = "G", "G"


class ModeMobilisation(models.TextChoices):
    """How a dwelling is mobilised for the programme (the four ways of the project sheet)."""

    CREATION_OFFRE_NOUVELLE = "creation_offre_nouvelle", "Création d’offre nouvelle"
    AMENAGEMENT = "amenagement", "Aménagement d’un logement existant"
    SANS_AMENAGEMENT = "sans_amenagement", "Mobilisation sans aménagement"
    RECLASSEMENT_BAS_LOYER = "reclassement_bas_loyer", "Reclassement en offre à bas loyer"


class TypeReclamation(models.TextChoices):
    TECHNIQUE = "technique", "Technique"
    TROUBLES_VOISINAGE = "troubles_voisinage", "Troubles de voisinage"
    IMPAYES = "impayes", "Impayés"
    HYGIENE = "hygiene", "Hygiène"


class StatutReclamation(models.TextChoices):
    """A complaint's life: open, then taken in hand, then closed with its resolution."""

    OUVERTE = "ouverte", "Ouverte"
    EN_COURS = "en_cours", "En cours de traitement"
    TRAITEE = "traitee", "Close"


# A complaint not closed yet: the CESF still has something to do about it.
STATUTS_RECLAMATION_ACTIFS = (StatutReclamation.OUVERTE, StatutReclamation.EN_COURS)


class StatutPlanApurement(models.TextChoices):
    EN_COURS = "en_cours", "En cours"
    RESPECTE = "respecte", "Respecté"
    ROMPU = "rompu", "Rompu"


class DecisionFsl(models.TextChoices):
    DEMANDEE = "demandee", "Demandée"
    ACCORDEE = "accordee", "Accordée"
    REFUSEE = "refusee", "Refusée"


class EtapeProcedure(models.TextChoices):
    """The eviction procedure's steps, in their legal order."""

    SAISINE_CCAPEX = "saisine_ccapex", "Saisine de la CCAPEX"
    COMMANDEMENT_PAYER = "commandement_payer", "Commandement de payer"
    ASSIGNATION = "assignation", "Assignation"
    JUGEMENT = "jugement", "Jugement"
    COMMANDEMENT_QUITTER = "commandement_quitter", "Commandement de quitter les lieux"
    CONCOURS_FORCE_PUBLIQUE = "concours_force_publique", "Concours de la force publique"
    EXPULSION = "expulsion", "Expulsion exécutée (concours de la force publique)"


class CanalAttribution(models.TextChoices):
    """The attribution channels, in the programme's order of priority (DOMAINE): a dwelling is
    sought first in the contingent préfectoral, then in the rotation of the existing stock, then
    in both landlords' pooled stock, then in new or adapted dwellings."""

    CONTINGENT_PREFECTORAL = "contingent_prefectoral", "Contingent préfectoral"
    ROTATION = "rotation", "Rotation du parc existant"
    MISE_EN_COMMUN = "mise_en_commun", "Mise en commun des patrimoines"
    OFFRE_NOUVELLE = "offre_nouvelle", "Offre nouvelle ou aménagement"


class EtapeAttribution(models.TextChoices):
    """Where an attribution stands, as the pipeline board shows it (Attribution.etape)."""

    PROPOSE = "propose", "Logement proposé"
    VISITE = "visite", "Visite faite"
    CAL = "cal", "En commission (CAL)"
    ATTRIBUE = "attribue", "Attribution prononcée"
    BAIL = "bail", "Bail signé"
    ENTRE = "entre", "Entrée dans les lieux"
    REFUSE = "refuse", "Refusé"


class DecisionCal(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    ACCEPTEE = "acceptee", "Attribution prononcée"
    AJOURNEE = "ajournee", "Ajournée"
    REFUSEE = "refusee", "Refusée"


class TypeBail(models.TextChoices):
    DIRECT = "direct", "Bail direct"
    IML = "iml", "Bail en intermédiation locative"
