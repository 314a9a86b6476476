from django.db import models


class TypeInstance(models.TextChoices):
    COMITE_SUIVI = "comite_suivi", "Comité de suivi"
    SUIVI_OPERATIONNEL = "suivi_operationnel", "Réunion de suivi opérationnel (bailleur et association)"
    GROUPE_TRAVAIL = "groupe_travail", "Groupe de travail des travailleurs sociaux"


class RoleMembre(models.TextChoices):
    PRESIDENT = "president", "Président"
    SECRETAIRE = "secretaire", "Secrétaire"
    MEMBRE = "membre", "Membre"


class StatutSeance(models.TextChoices):
    PLANIFIEE = "planifiee", "Planifiée"
    CONVOQUEE = "convoquee", "Planifiée, convocation envoyée"
    TENUE = "tenue", "Tenue"
    NON_TENUE = "non_tenue", "Non tenue"
    ANNULEE = "annulee", "Annulée"


class TypePoint(models.TextChoices):
    NOUVELLE_PROPOSITION = "nouvelle_proposition", "Nouvelle proposition"
    RENOUVELLEMENT = "renouvellement", "Renouvellement"
    ECHEANCE = "echeance", "Fin de durée maximale proche"
    CHANGEMENT_NIVEAU = "changement_niveau", "Demande de changement de niveau"
    IML = "iml", "Demande d’intermédiation locative"
    SORTIE = "sortie", "Proposition de sortie"
    AUTRE = "autre", "Autre"


class Avis(models.TextChoices):
    FAVORABLE = "favorable", "Favorable"
    DEFAVORABLE = "defavorable", "Défavorable"
    ABSTENTION = "abstention", "Abstention"


class Decision(models.TextChoices):
    VALIDER = "valider", "Valider l’accompagnement"
    RENOUVELER = "renouveler", "Renouveler"
    CHANGER_NIVEAU = "changer_niveau", "Changer de niveau"
    AJOUTER_IML = "ajouter_iml", "Ajouter une IML"
    REFUSER = "refuser", "Refuser"
    AJOURNER = "ajourner", "Ajourner"
    TERMINER = "terminer", "Mettre fin à l’accompagnement"


# A session still to be held: its agenda, attendance and date may change. Once its day has passed it
# must be settled (held, not held or cancelled): see SeanceQuerySet.a_regulariser.
STATUTS_OUVERTS = frozenset({StatutSeance.PLANIFIEE, StatutSeance.CONVOQUEE})
# Settling a session that did not take place: these need a reason.
STATUTS_SANS_SEANCE = frozenset({StatutSeance.NON_TENUE, StatutSeance.ANNULEE})

# Members who run a session: agenda, attendance, convocation, closing and minutes.
ROLES_ANIMATION = frozenset({RoleMembre.PRESIDENT, RoleMembre.SECRETAIRE})
