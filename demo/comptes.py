"""The demo data set: the real organisations of the project sheet, fictitious people."""

import datetime

from comites.enums import RoleMembre
from comptes.enums import CodeNiveau, Role, TypeOrganisation

DEMO_PASSWORD = "Demo-ASEA-2026"

DISPOSITIF = {
    "code": "asea-aude",
    "nom": "ASEA Aude",
    "prefixe_reference": "ASEA",
    "territoire": "Aude",
    "date_debut": datetime.date(2026, 1, 1),
    "duree_mois": 36,
    "rythme_comite_mois": 2,
    "objectif_menages_total": 50,
    "objectif_menages_par_bailleur": 25,
    "objectif_menages_par_an": 17,
}

NIVEAUX = [
    {
        "code": CodeNiveau.NIVEAU_1,
        "libelle": "Accompagnement vers le droit commun",
        "description": "Favoriser l’adhésion de la famille au dispositif de droit commun adapté à ses "
        "besoins et faire le relais vers ce dispositif.",
        "ordre": 1,
        "duree_min_mois": 1,
        "duree_max_mois": 3,
        "avec_iml": False,
    },
    {
        "code": CodeNiveau.NIVEAU_2,
        "libelle": "Accompagnement global adapté",
        "description": "Accompagnement socio-éducatif inspiré des CHRS « hors les murs ».",
        "ordre": 2,
        "duree_min_mois": None,
        "duree_max_mois": 12,
        "avec_iml": False,
    },
    {
        "code": CodeNiveau.NIVEAU_3,
        "libelle": "Accompagnement global renforcé",
        "description": "Accompagnement global adapté articulé avec une intermédiation locative "
        "portée par Habitat Développement Méditerranée.",
        "ordre": 3,
        "duree_min_mois": None,
        "duree_max_mois": None,
        "avec_iml": True,
    },
    {
        "code": CodeNiveau.RELAIS_SORTANT,
        "libelle": "Relais sortant",
        "description": "Lien entre la sortie du dispositif renforcé et le droit commun, avec une "
        "veille locative du bailleur.",
        "ordre": 4,
        "duree_min_mois": None,
        "duree_max_mois": None,
        "avec_iml": False,
    },
]

# (key, nom, sigle, type)
ORGANISATIONS = [
    (
        "adaff",
        "Association Départementale d’Aide aux Femmes et aux Familles",
        "ADAFF",
        TypeOrganisation.ASSOCIATION,
    ),
    ("habitat", "Habitat Audois", "Habitat Audois", TypeOrganisation.BAILLEUR),
    ("alogea", "ALOGEA", "ALOGEA", TypeOrganisation.BAILLEUR),
    ("hdm", "Habitat Développement Méditerranée", "HDM", TypeOrganisation.PARTENAIRE_IML),
    ("afc", "AFC", "AFC", TypeOrganisation.SERVICE_TISF),
    ("ddcspp", "DDCSPP de l’Aude", "DDCSPP", TypeOrganisation.FINANCEUR),
    ("cg", "Conseil Général de l’Aude", "Conseil Général", TypeOrganisation.FINANCEUR),
]

# (nom, code INSEE, code postal): the towns named in the project sheet.
COMMUNES = [
    ("Carcassonne", "11069", "11000"),
    ("Narbonne", "11262", "11100"),
    ("Limoux", "11206", "11300"),
    ("Castelnaudary", "11076", "11400"),
    ("Lézignan-Corbières", "11203", "11200"),
    ("Quillan", "11304", "11500"),
]

# (username, first name, last name, organisation key, roles, description for the README)
COMPTES = [
    (
        "ts.adaff",
        "Claire",
        "Vidal",
        "adaff",
        [Role.TRAVAILLEUR_SOCIAL],
        "travailleuse sociale référente (ADAFF)",
    ),
    ("cesf.habitat", "Sophie", "Roux", "habitat", [Role.CESF], "CESF d’Habitat Audois"),
    ("cesf.alogea", "Nadia", "Benali", "alogea", [Role.CESF], "CESF d’ALOGEA"),
    (
        "attribution.habitat",
        "Luc",
        "Fabre",
        "habitat",
        [Role.CHARGE_ATTRIBUTION],
        "chargé d’attribution (Habitat Audois)",
    ),
    ("gardien.habitat", "Marc", "Pujol", "habitat", [Role.GARDIEN], "gardien (Habitat Audois)"),
    ("ts.hdm", "Julien", "Marty", "hdm", [Role.TRAVAILLEUR_SOCIAL], "travailleur social IML (HDM)"),
    ("tisf.afc", "Émilie", "Castel", "afc", [Role.TISF], "TISF (AFC)"),
    ("financeur.ddcspp", "Anne", "Guiraud", "ddcspp", [Role.FINANCEUR], "financeur (DDCSPP)"),
    (
        "comite.cg",
        "Paul",
        "Sabatier",
        "cg",
        [Role.MEMBRE_COMITE, Role.FINANCEUR],
        "membre du comité (Conseil Général)",
    ),
    ("admin", "Agnès", "Rivière", "adaff", [Role.ADMINISTRATEUR], "administratrice du dispositif"),
    (
        "dpo.adaff",
        "Hugo",
        "Serres",
        "adaff",
        [Role.DPO],
        "délégué à la protection des données (relit les droits d’accès)",
    ),
]

# The technical staff (a superuser): the Django admin site only, which shows no confidential
# content; no organisation and no role in the programme. (username, first name, last name,
# description for the README)
TECHNICIEN = ("technicien", "Théo", "Marty", "équipe technique : site d’administration Django (`/admin/`)")

# The comité de suivi of the demo: (username, role)
COMITE = [
    ("comite.cg", RoleMembre.PRESIDENT),
    ("ts.adaff", RoleMembre.SECRETAIRE),
    ("financeur.ddcspp", RoleMembre.MEMBRE),
    ("cesf.habitat", RoleMembre.MEMBRE),
    ("cesf.alogea", RoleMembre.MEMBRE),
]
