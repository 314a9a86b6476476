from django.db import models


class StatutPart(models.TextChoices):
    CONFIRMEE = "confirmee", "Confirmée"
    A_CONFIRMER = "a_confirmer", "À confirmer"


class TypeLigne(models.TextChoices):
    POSTE_ADAFF = "poste_adaff", "Poste de travailleur social référent (ETP)"
    TISF = "tisf", "Interventions TISF"
    IML = "iml", "Intermédiation locative"
    AUTRE = "autre", "Autres dépenses"


class Periodicite(models.TextChoices):
    TRIMESTRIEL = "trimestriel", "Trimestriel"
    ANNUEL = "annuel", "Annuel"
    PONCTUEL = "ponctuel", "À la demande"


class StatutRapport(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours de production"
    TERMINE = "termine", "Prêt"
    ECHEC = "echec", "Échec"
