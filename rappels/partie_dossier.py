"""What rappels contributes to the household file: nothing is shown in it (reminders are each
user's own, in the notification centre); the part is registered so that the household file knows
every app that holds records about a household, and so that retention deletes its reminders."""

from menages.parties import Partie
from rappels.models import Rappel


def anonymiser(menage) -> None:
    """A reminder about a file past its retention period has no use left, and its title may name
    the household: it goes (`menages.retention.REGISTRE`)."""
    Rappel.objects.filter(menage=menage).delete()


PARTIE = Partie(app="rappels", anonymiser=anonymiser)
