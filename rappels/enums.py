from django.db import models


class TypeRappel(models.TextChoices):
    CONTACT_EN_RETARD = "contact_en_retard", "Contact en retard sur le rythme"
    ECHEANCE_NIVEAU = "echeance_niveau", "Fin de durée du niveau proche"
    SEANCE = "seance", "Séance de comité à venir"
    AVIS_ATTENDU = "avis_attendu", "Avis attendu avant une séance"
    SEANCE_A_REGULARISER = "seance_a_regulariser", "Séance passée à régulariser"
    VALIDATION_EN_ATTENTE = "validation_en_attente", "Validation de financeur sans réponse"
    DIAGNOSTIC_EN_ATTENTE = "diagnostic_en_attente", "Diagnostic non réalisé"
    REVUE_OBJECTIF = "revue_objectif", "Objectif à revoir"
    TEMPS_FORT_DEMAIN = "temps_fort_demain", "Temps fort demain"
    IMPAYES = "impayes", "Seuil d’impayés franchi"
    LOYER_INCONNU = "loyer_inconnu", "Impayé sans loyer connu (seuil d’impayés incalculable)"
    SUIVI_POST_SORTIE = "suivi_post_sortie", "Situation à 6 ou 12 mois après la sortie"
    CONSENTEMENT = "consentement", "Notice d’information et consentement à renouveler"
    DOSSIER_LOCATIF = "dossier_locatif", "Nouveau au dossier locatif (signalement, réclamation, procédure)"
    PROCHAINE_ETAPE = "prochaine_etape", "Prochaine étape due"


class StatutEnvoi(models.TextChoices):
    A_ENVOYER = "a_envoyer", "À envoyer"
    RESUME = "resume", "En attente du résumé quotidien"
    ENVOYE = "envoye", "Envoyé"
    SANS_COURRIEL = "sans_courriel", "Notification seule"


class ModeCourriel(models.TextChoices):
    IMMEDIAT = "immediat", "Un courriel à chaque rappel"
    RESUME = "resume", "Un résumé quotidien"
    AUCUN = "aucun", "Pas de courriel (notification dans l’application seulement)"
