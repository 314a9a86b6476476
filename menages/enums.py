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


class TypeIntervention(models.TextChoices):
    REFERENT = "referent", "Travailleur social référent"
    CESF = "cesf", "CESF du bailleur"
    TRAVAILLEUR_SOCIAL_IML = "ts_iml", "Travailleur social IML"
    TISF = "tisf", "TISF"
    PARTENAIRE_EXTERNE = "partenaire_externe", "Partenaire extérieur"
