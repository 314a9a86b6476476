from django.db import models

# The confidentiality levels are the programme's, shared by every app (comptes.confidentialite).
from comptes.enums import Confidentialite  # noqa: F401


class Rythme(models.TextChoices):
    INTENSIF = "intensif", "Intensif (plusieurs fois par semaine)"
    HEBDOMADAIRE = "hebdomadaire", "Hebdomadaire"
    BIMENSUEL = "bimensuel", "Tous les quinze jours"
    MENSUEL = "mensuel", "Mensuel"
    VEILLE = "veille", "Veille (tous les deux mois)"


# The longest gap between two contacts that each rythme allows, in days.
DELAI_RYTHME_JOURS = {
    Rythme.INTENSIF: 4,
    Rythme.HEBDOMADAIRE: 8,
    Rythme.BIMENSUEL: 16,
    Rythme.MENSUEL: 31,
    Rythme.VEILLE: 62,
}


class OrigineChangementNiveau(models.TextChoices):
    ENTREE = "entree", "Entrée dans l’accompagnement"
    COMITE = "comite", "Décision du comité de suivi"
    ADMINISTRATEUR = "administrateur", "Correction par un administrateur"


class FormeIml(models.TextChoices):
    SOUS_LOCATION = "sous_location", "Sous-location"
    MANDAT_GESTION = "mandat_gestion", "Mandat de gestion"


class Axe(models.TextChoices):
    COORDINATION = "coordination", "Coordination des intervenants"
    APPROPRIATION = "appropriation", "Appropriation du logement et de l’environnement"
    BUDGET = "budget", "Gestion budgétaire"
    ADMINISTRATIF = "administratif", "Gestion administrative et ouverture de droits"
    DROITS_DEVOIRS = "droits_devoirs", "Droits et devoirs du locataire"
    OBLIGATIONS = "obligations", "Respect des obligations (hygiène, voisinage)"
    COMPETENCES = "competences", "Valorisation des compétences du ménage"
    ORIENTATION = "orientation", "Orientation vers les partenaires"
    SOINS = "soins", "Accès aux soins"


class StatutObjectif(models.TextChoices):
    EN_COURS = "en_cours", "En cours"
    ATTEINT = "atteint", "Atteint"
    PARTIELLEMENT = "partiellement", "Partiellement atteint"
    ABANDONNE = "abandonne", "Abandonné"
    REAJUSTE = "reajuste", "Réajusté"


class TypeContact(models.TextChoices):
    VAD = "vad", "Visite à domicile"
    ENTRETIEN = "entretien", "Entretien au bureau"
    TELEPHONE = "telephone", "Appel téléphonique"
    ACCOMPAGNEMENT_RDV = "accompagnement_rdv", "Accompagnement à un rendez-vous"
    REUNION_COORDINATION = "coordination", "Réunion de coordination"
    SYNTHESE = "synthese", "Réunion de synthèse"
    TISF = "tisf", "Intervention TISF"


# Contacts that count as meeting the household for its rythme (meetings between professionals
# about the household do not).
CONTACTS_AVEC_LE_MENAGE = [
    TypeContact.VAD,
    TypeContact.ENTRETIEN,
    TypeContact.TELEPHONE,
    TypeContact.ACCOMPAGNEMENT_RDV,
    TypeContact.TISF,
]


class TypeTempsFort(models.TextChoices):
    VISITE = "visite_logement", "Visite du logement"
    SIGNATURE = "signature_bail", "Signature du bail"
    ENTREE = "entree_lieux", "Entrée dans les lieux"


class ModaliteTempsFort(models.TextChoices):
    AVEC_ASSOCIATION = "avec_association", "Avec l’association"
    SANS_ASSOCIATION = "sans_association", "Sans l’association"
    CESF = "cesf", "Intervention directe de la CESF"
    EQUIPE_BAILLEUR = "equipe_bailleur", "Équipe habituelle du bailleur"


class TypeDocument(models.TextChoices):
    JUSTIFICATIF = "justificatif", "Justificatif"
    BAIL = "bail", "Bail"
    COURRIER = "courrier", "Courrier"
    COMPTE_RENDU = "compte_rendu", "Compte rendu"


class ResultatOrientation(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    ENGAGEE = "engagee", "Démarche engagée"
    ABOUTIE = "aboutie", "Aboutie"
    SANS_SUITE = "sans_suite", "Sans suite"


class SituationSortie(models.TextChoices):
    MAINTIEN = "maintien", "Maintenu dans son logement"
    RELOGE = "reloge", "Relogé"
    BAIL_DIRECT = "bail_direct", "Locataire en titre (bail signé)"
    IML = "iml", "Logé en intermédiation locative"
    HEBERGE = "heberge", "Hébergé (tiers ou structure)"
    SANS_LOGEMENT = "sans_logement", "Sans logement"
    AUTRE = "autre", "Autre"
