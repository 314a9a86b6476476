from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from comites import services as comites_services
from comites.enums import TypeInstance
from comites.models import Instance, MembreInstance
from comptes.models import (
    AttributionRole,
    Commune,
    Dispositif,
    NiveauAccompagnement,
    Organisation,
    Utilisateur,
)
from demo import comptes as comptes_demo
from demo import menages as menages_demo
from demo.comites import Comite, seed_seances, seed_synthese
from demo.financement import seed_financement
from demo.financeur_national import seed_financeur_national
from demo.logements import seed_dossiers_locatifs, seed_logements


class Command(BaseCommand):
    help = "Loads the demo data set (idempotent). Refused outside demo mode."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo ne s’exécute qu’en mode démonstration (DEMO_MODE=1).")
        with transaction.atomic():
            dispositif = self._dispositif()
            organisations = self._organisations(dispositif)
            communes = self._communes()
            comptes = self._comptes(organisations)
            self._technicien()
            # The committee first: every level of the demo households comes from its decisions.
            instance = self._comite(dispositif, comptes)
            self._menages(dispositif, organisations, communes, comptes, Comite(instance))
            self._seances(instance)
            seed_financement(dispositif=dispositif, organisations=organisations)
            seed_logements(dispositif=dispositif, organisations=organisations, communes=communes)
            seed_dossiers_locatifs(dispositif=dispositif)
            # Last: linked to every programme the lines above have created.
            seed_financeur_national()
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))

    def _dispositif(self):
        values = dict(comptes_demo.DISPOSITIF)
        dispositif, _ = Dispositif.objects.update_or_create(code=values.pop("code"), defaults=values)
        for niveau in comptes_demo.NIVEAUX:
            values = dict(niveau)
            NiveauAccompagnement.objects.update_or_create(
                dispositif=dispositif, code=values.pop("code"), defaults=values
            )
        return dispositif

    def _organisations(self, dispositif):
        organisations = {}
        for key, nom, sigle, type_ in comptes_demo.ORGANISATIONS:
            organisation, _ = Organisation.objects.update_or_create(
                nom=nom, defaults={"sigle": sigle, "type": type_}
            )
            organisation.dispositifs.add(dispositif)
            organisations[key] = organisation
        return organisations

    def _communes(self):
        return {
            nom: Commune.objects.update_or_create(code_insee=insee, defaults={"nom": nom, "code_postal": cp})[
                0
            ]
            for nom, insee, cp in comptes_demo.COMMUNES
        }

    def _comptes(self, organisations):
        comptes = {}
        for username, first, last, org_key, roles, _description in comptes_demo.COMPTES:
            user, created = Utilisateur.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.asea.invalid",
                    "organisation": organisations[org_key],
                    "est_demo": True,
                    "is_active": True,
                    "is_staff": False,
                },
            )
            if created or not user.check_password(comptes_demo.DEMO_PASSWORD):
                user.set_password(comptes_demo.DEMO_PASSWORD)
                user.save(update_fields=["password"])
            for role in roles:
                AttributionRole.objects.get_or_create(utilisateur=user, role=role)
            comptes[username] = user
        return comptes

    def _technicien(self):
        """The technical staff's account: the Django admin site, no role in the programme."""
        username, first, last, _description = comptes_demo.TECHNICIEN
        user, created = Utilisateur.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.asea.invalid",
                "organisation": None,
                "est_demo": True,
                "is_active": True,
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created or not user.check_password(comptes_demo.DEMO_PASSWORD):
            user.set_password(comptes_demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _menages(self, dispositif, organisations, communes, comptes, comite):
        dispositif.financeurs_validation_requise.set([organisations["ddcspp"]])
        menages_demo.seed_menages(
            dispositif=dispositif,
            organisations=organisations,
            communes=communes,
            comptes=comptes,
            comite=comite,
        )
        menages_demo.spread_event_dates(dispositif)

    def _comite(self, dispositif, comptes):
        instance, _ = Instance.objects.get_or_create(
            dispositif=dispositif,
            type=TypeInstance.COMITE_SUIVI,
            defaults={
                "nom": "Comité de suivi ASEA",
                "rythme_mois": dispositif.rythme_comite_mois,
                "lieu_habituel": "Habitat Audois, Carcassonne",
            },
        )
        for username, role in comptes_demo.COMITE:
            MembreInstance.objects.get_or_create(
                instance=instance,
                utilisateur=comptes[username],
                defaults={"role": role, "date_debut": dispositif.date_debut},
            )
        return instance

    def _seances(self, instance):
        seed_seances(instance=instance)
        prochaine = instance.seances.filter(date__gte=timezone.now()).order_by("date").first()
        if prochaine is not None:
            comites_services.construire_ordre_du_jour(seance=prochaine)
            seed_synthese(seance=prochaine)
