from django.db import models


class TypeOrganisation(models.TextChoices):
    ASSOCIATION = "association", "Association"
    BAILLEUR = "bailleur", "Bailleur social"
    PARTENAIRE_IML = "partenaire_iml", "Partenaire IML"
    SERVICE_TISF = "service_tisf", "Service TISF"
    FINANCEUR = "financeur", "Financeur"
    AUTRE = "autre", "Autre"


class Role(models.TextChoices):
    TRAVAILLEUR_SOCIAL = "travailleur_social", "Travailleur social"
    CESF = "cesf", "CESF"
    CHARGE_ATTRIBUTION = "charge_attribution", "Chargé d’attribution"
    GARDIEN = "gardien", "Gardien"
    TISF = "tisf", "TISF"
    FINANCEUR = "financeur", "Financeur"
    # A national or regional funder (the State's services, a region) funding several programmes:
    # sees their consolidated figures only, never a household nor a single programme's pages.
    FINANCEUR_NATIONAL = "financeur_national", "Financeur national ou régional"
    MEMBRE_COMITE = "membre_comite", "Membre du comité"
    ADMINISTRATEUR = "administrateur", "Administrateur"
    # The data protection officer: reviews the household's right-of-access export before it is
    # released (may withhold a note, with a written reason); sees no household otherwise.
    DPO = "dpo", "DPO (protection des données)"


# Roles of a landlord's staff who work on the households' files: they see those of their own
# landlord. Caretakers (gardiens) feed the tenant file with their reports but do not read the
# social file (need to know).
ROLES_BAILLEUR = frozenset({Role.CESF, Role.CHARGE_ATTRIBUTION})


class CodeNiveau(models.TextChoices):
    NIVEAU_1 = "niveau_1", "Niveau 1 – Accompagnement vers le droit commun"
    NIVEAU_2 = "niveau_2", "Niveau 2 – Accompagnement global adapté"
    NIVEAU_3 = "niveau_3", "Niveau 3 – Accompagnement global renforcé"
    RELAIS_SORTANT = "relais_sortant", "Relais sortant"


class TypeEvenementConnexion(models.TextChoices):
    CONNEXION = "connexion", "Connexion (mot de passe)"
    DOUBLE_AUTHENTIFICATION = "double_authentification", "Double authentification réussie"
    ECHEC = "echec", "Échec de connexion"
    ECHEC_CODE = "echec_code", "Code de double authentification refusé"
    BLOQUEE = "bloquee", "Tentative refusée (trop d’échecs)"
    DECONNEXION = "deconnexion", "Déconnexion"
    EXPIRATION = "expiration", "Session expirée"


class Confidentialite(models.TextChoices):
    """Who may read a record or a field holding health, addiction or social-worker-only content
    (see comptes.confidentialite)."""

    PARTAGE = "partage", "Partagée avec tous les intervenants"
    TRAVAILLEURS_SOCIAUX = "travailleurs_sociaux", "Réservée aux travailleurs sociaux"
