"""What dossiers contributes to the household file: its right-of-access requests, which retention
deletes with the PDFs they released (`menages.retention.REGISTRE`)."""

from dossiers.models import DemandeAcces
from menages.parties import Partie


def anonymiser(menage) -> None:
    """The released PDFs hold the whole file, and the withheld notes' reasons tell about it: the
    requests go with them."""
    for demande in DemandeAcces.objects.filter(menage=menage):
        if demande.fichier:
            demande.fichier.delete(save=False)
        demande.delete()


PARTIE = Partie(app="dossiers", anonymiser=anonymiser)
