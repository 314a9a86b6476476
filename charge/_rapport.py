"""Helper of charge/pannes.py, run in its own process: ask for a report, read its state, sweep."""

import datetime
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.utils import timezone  # noqa: E402

from comptes.models import Dispositif, Organisation  # noqa: E402
from financement import services  # noqa: E402
from financement.models import RapportFinanceur  # noqa: E402

action = sys.argv[1]
if action == "demander":
    jour = timezone.localdate()
    rapport = services.demander_rapport(
        dispositif=Dispositif.objects.get(code="asea-aude"),
        financeur=Organisation.objects.get(sigle="DDCSPP"),
        date_debut=jour - datetime.timedelta(days=365),
        date_fin=jour - datetime.timedelta(days=int.from_bytes(os.urandom(2), "big") % 30),
    )
    print(rapport.pk)
elif action == "etat":
    rapport = RapportFinanceur.objects.get(pk=sys.argv[2])
    fichiers = RapportFinanceur.objects.filter(pk=rapport.pk).exclude(fichier="").count()
    print(f"{rapport.statut} progression={rapport.progression} fichiers={fichiers}")
elif action == "reprendre":
    # The sweep that the scheduler runs every hour, as if the blocking delay had passed.
    print(services.reprendre_rapports(maintenant=timezone.now() + services.DELAI_BLOCAGE * 2))
