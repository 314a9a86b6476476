"""The household's path as an explicit state machine: which step may follow which, and what each
transition requires. `menages.services.changer_etat` is the only way to move a household; the steps
below that have their own service (submission to the funders) or follow a committee decision are
refused to anyone who does not bring it, whatever the page or URL."""

from menages.enums import ETATS_ACCOMPAGNEMENT, MotifRefus
from menages.enums import EtatParcours as E

TRANSITIONS: dict[str, frozenset[str]] = {
    E.SAISINE: frozenset({E.PRE_DIAGNOSTIC, E.REFUSE}),
    E.PRE_DIAGNOSTIC: frozenset({E.VALIDATION_FINANCEURS, E.REFUSE}),
    E.VALIDATION_FINANCEURS: frozenset({E.DIAGNOSTIC, E.REFUSE}),
    E.DIAGNOSTIC: frozenset({E.PROPOSITION_COMITE, E.REFUSE}),
    # Back to the diagnostic when the committee adjourns and asks for more.
    E.PROPOSITION_COMITE: frozenset({E.ACCOMPAGNEMENT, E.DIAGNOSTIC, E.REFUSE}),
    E.ACCOMPAGNEMENT: frozenset({E.RELAIS_SORTANT, E.CLOS}),
    E.RELAIS_SORTANT: frozenset({E.ACCOMPAGNEMENT, E.CLOS}),
    # Re-entry: a new path for the same household.
    E.CLOS: frozenset({E.SAISINE}),
    E.REFUSE: frozenset({E.SAISINE}),
}

# Labels of the action that leads to each step, for buttons.
ACTIONS = {
    E.SAISINE: "Rouvrir un parcours (nouvelle saisine)",
    E.PRE_DIAGNOSTIC: "Commencer le pré-diagnostic",
    E.VALIDATION_FINANCEURS: "Soumettre aux financeurs",
    E.DIAGNOSTIC: "Commencer le diagnostic approfondi",
    E.PROPOSITION_COMITE: "Proposer au comité de suivi",
    E.ACCOMPAGNEMENT: "Démarrer l’accompagnement (décision du comité)",
    E.RELAIS_SORTANT: "Passer en relais sortant",
    E.CLOS: "Clore l’accompagnement",
    E.REFUSE: "Enregistrer un refus",
}

# Steps that landlord staff may move a household to; every other transition is the social
# workers' (or an administrator's).
ETATS_BAILLEUR = frozenset({E.PRE_DIAGNOSTIC, E.VALIDATION_FINANCEURS})


# Steps reached only through the checked submission to the funders (`services.demander_validations`:
# the file holds what the funders read, and they are written to), never by a bare step change.
ETATS_PAR_SOUMISSION = frozenset({E.VALIDATION_FINANCEURS})


# Back from the proposal to the diagnostic: only when the committee adjourned the proposal
# (comites.services.renvoyer_au_diagnostic brings that decision), with the reason written.
RETOUR_AU_DIAGNOSTIC = (E.PROPOSITION_COMITE, E.DIAGNOSTIC)


def demande_une_decision(depuis: str, vers: str, motif_refus: str = "") -> bool:
    """Whether moving from `depuis` to `vers` follows a committee decision (or an administrator's
    correction with its written reason): entering or leaving the support, the exit relay, the
    return of an adjourned proposal to the diagnostic, and a refusal given as the committee's."""
    if (depuis, vers) == RETOUR_AU_DIAGNOSTIC:
        return True
    if vers in ETATS_ACCOMPAGNEMENT:
        return True
    if vers == E.CLOS and depuis in ETATS_ACCOMPAGNEMENT:
        return True
    return vers == E.REFUSE and motif_refus == MotifRefus.REFUS_COMITE


def is_allowed(depuis: str, vers: str) -> bool:
    return vers in TRANSITIONS.get(depuis, frozenset())


def next_steps(etat: str) -> list[str]:
    """The steps reachable from `etat`, in the path's order."""
    allowed = TRANSITIONS.get(etat, frozenset())
    return [e for e in E if e in allowed]
