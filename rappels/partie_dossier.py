"""What rappels contributes to the household file: nothing is shown in it (reminders are each
user's own, in the notification centre); the part is registered so that the household file knows
every app that holds records about a household."""

from menages.parties import Partie

# Reminders are kept as they are at retention for now: their titles are the subject of the
# personal-data issue.
PARTIE = Partie(app="rappels")
