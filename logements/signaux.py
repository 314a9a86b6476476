"""What the tenant file tells the apps above it. logements may not import them (layers), so it
sends a signal that they connect to: rappels turns it into notifications for the landlord's CESF
and the household's referent worker.

`evenement_dossier_locatif` is sent by logements.services inside the write's transaction, with:
- `nature`: one of the NATURES keys;
- `objet`: the record written (SignalementGardien, Reclamation, EtapeExpulsion);
- `menage`: the household of the tenant file, or None (a caretaker's report on a dwelling where no
  household of the programme lives);
- `logement`: the dwelling the record is about, or None;
- `auteur`: who wrote it (not notified of their own entry)."""

from django.dispatch import Signal

SIGNALEMENT = "signalement"
RECLAMATION = "reclamation"
ETAPE_EXPULSION = "etape_expulsion"

# How a notification names the event: no household name, no amount (a reference and a link).
NATURES = {
    SIGNALEMENT: "Signalement du gardien",
    RECLAMATION: "Nouvelle réclamation",
    ETAPE_EXPULSION: "Nouvelle étape de la procédure d’expulsion",
}

evenement_dossier_locatif = Signal()
