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
from demo import financement as financement_demo
from demo import logements as logements_demo
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
            communes = self._communes()
            organisations, comptes = self._aude(communes)
            self._pyrenees_orientales(communes, organisations, comptes)
            self._technicien()
            # Last: linked to every programme the lines above have created.
            seed_financeur_national()
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))

    def _aude(self, communes):
        dispositif = self._dispositif(comptes_demo.DISPOSITIF)
        organisations = self._organisations(dispositif, comptes_demo.ORGANISATIONS)
        comptes = self._comptes(organisations, comptes_demo.COMPTES)
        # The committee first: every level of the demo households comes from its decisions.
        instance = self._comite(
            dispositif,
            comptes,
            comptes_demo.COMITE,
            nom="Comité de suivi ASEA",
            lieu="Habitat Audois, Carcassonne",
        )
        dispositif.financeurs_validation_requise.set([organisations["ddcspp"]])
        menages_demo.seed_menages(
            dispositif=dispositif,
            organisations=organisations,
            communes=communes,
            comptes=comptes,
            comite=Comite(instance),
        )
        menages_demo.spread_event_dates(dispositif)
        self._seances(instance)
        seed_financement(dispositif=dispositif, organisations=organisations)
        seed_logements(dispositif=dispositif, organisations=organisations, communes=communes)
        seed_dossiers_locatifs(dispositif=dispositif)
        return organisations, comptes

    def _pyrenees_orientales(self, communes, organisations, comptes):
        """The second programme, on the same instance: its own organisations and accounts, and HDM
        taking part in both."""
        dispositif = self._dispositif(comptes_demo.DISPOSITIF_PO)
        for key in comptes_demo.ORGANISATIONS_PARTAGEES_PO:
            organisations[key].dispositifs.add(dispositif)
        organisations = {**organisations, **self._organisations(dispositif, comptes_demo.ORGANISATIONS_PO)}
        comptes = {**comptes, **self._comptes(organisations, comptes_demo.COMPTES_PO)}
        instance = self._comite(
            dispositif,
            comptes,
            comptes_demo.COMITE_PO,
            nom="Comité de suivi ASEA Pyrénées-Orientales",
            lieu="Tramontane Habitat, Perpignan",
        )
        dispositif.financeurs_validation_requise.set([organisations["ddets66"]])
        menages_demo.seed_menages(
            dispositif=dispositif,
            organisations={r: organisations[k] for r, k in comptes_demo.ORGANISATIONS_PAR_ROLE_PO.items()},
            communes={nom: communes[nom] for nom, _insee, _cp in comptes_demo.COMMUNES_PO},
            comptes={r: comptes[u] for r, u in comptes_demo.COMPTES_PAR_ROLE_PO.items()},
            comite=Comite(instance),
            count=len(menages_demo.ETATS_PO),
            noms=menages_demo.NOMS_PO,
            etats=menages_demo.ETATS_PO,
        )
        menages_demo.spread_event_dates(dispositif)
        self._seances(instance)
        seed_financement(
            dispositif=dispositif,
            organisations=organisations,
            intitule="Convention ASEA Pyrénées-Orientales 2026-2028",
            parts=financement_demo.PARTS_PO,
            lignes=financement_demo.LIGNES_PO,
            versements=financement_demo.VERSEMENTS_PO,
        )
        seed_logements(
            dispositif=dispositif,
            organisations=organisations,
            communes=communes,
            bailleurs=logements_demo.BAILLEURS_PO,
            par_bailleur=logements_demo.PAR_BAILLEUR_PO,
            noms_communes=logements_demo.COMMUNES_PO,
            mobilisations=logements_demo.MOBILISATIONS_PO,
        )
        seed_dossiers_locatifs(dispositif=dispositif)

    def _dispositif(self, valeurs):
        values = dict(valeurs)
        dispositif, _ = Dispositif.objects.update_or_create(code=values.pop("code"), defaults=values)
        for niveau in comptes_demo.NIVEAUX:
            values = dict(niveau)
            NiveauAccompagnement.objects.update_or_create(
                dispositif=dispositif, code=values.pop("code"), defaults=values
            )
        return dispositif

    def _organisations(self, dispositif, liste):
        organisations = {}
        for key, nom, sigle, type_ in liste:
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
            for nom, insee, cp in comptes_demo.COMMUNES + comptes_demo.COMMUNES_PO
        }

    def _comptes(self, organisations, liste):
        comptes = {}
        for username, first, last, org_key, roles, _description in liste:
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

    def _comite(self, dispositif, comptes, membres, *, nom, lieu):
        instance, _ = Instance.objects.get_or_create(
            dispositif=dispositif,
            type=TypeInstance.COMITE_SUIVI,
            defaults={"nom": nom, "rythme_mois": dispositif.rythme_comite_mois, "lieu_habituel": lieu},
        )
        for username, role in membres:
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
