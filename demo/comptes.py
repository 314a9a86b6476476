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


# A second programme on the same instance, in another département, so that the separation of
# programmes is visible: its own landlord, association, TISF service, funders, committee and
# settings, and one account per role (usernames suffixed by the organisation). Habitat
# Développement Méditerranée carries the IML in both départements: its social worker (ts.hdm)
# works in both programmes and chooses the current one in the header.
DISPOSITIF_PO = {
    "code": "asea-po",
    "nom": "ASEA Pyrénées-Orientales",
    "prefixe_reference": "ASEA-PO",
    "territoire": "Pyrénées-Orientales",
    "date_debut": datetime.date(2026, 3, 1),
    "duree_mois": 24,
    "rythme_comite_mois": 3,
    "objectif_menages_total": 20,
    "objectif_logements_mobilises": 10,
    "objectif_menages_par_bailleur": 20,
    "objectif_menages_par_an": 10,
    "retention_mois": 36,
}

ORGANISATIONS_PO = [
    (
        "araf",
        "Association Roussillonnaise d’Accompagnement des Familles",
        "ARAF",
        TypeOrganisation.ASSOCIATION,
    ),
    ("tramontane", "Tramontane Habitat", "Tramontane Habitat", TypeOrganisation.BAILLEUR),
    ("fsc", "Familles Services Catalans", "FSC", TypeOrganisation.SERVICE_TISF),
    ("ddets66", "DDETS des Pyrénées-Orientales", "DDETS 66", TypeOrganisation.FINANCEUR),
    ("dep66", "Département des Pyrénées-Orientales", "Département 66", TypeOrganisation.FINANCEUR),
]
# Organisations of the Aude programme taking part in this one too.
ORGANISATIONS_PARTAGEES_PO = ["hdm"]

COMMUNES_PO = [
    ("Perpignan", "66136", "66000"),
    ("Prades", "66149", "66500"),
    ("Céret", "66049", "66400"),
    ("Rivesaltes", "66164", "66600"),
]

COMPTES_PO = [
    (
        "ts.araf",
        "Mireia",
        "Casals",
        "araf",
        [Role.TRAVAILLEUR_SOCIAL],
        "travailleuse sociale référente (ARAF)",
    ),
    ("cesf.tramontane", "Laura", "Puig", "tramontane", [Role.CESF], "CESF de Tramontane Habitat"),
    (
        "attribution.tramontane",
        "Jordi",
        "Ferrer",
        "tramontane",
        [Role.CHARGE_ATTRIBUTION],
        "chargé d’attribution (Tramontane Habitat)",
    ),
    ("gardien.tramontane", "Pere", "Soler", "tramontane", [Role.GARDIEN], "gardien (Tramontane Habitat)"),
    ("tisf.fsc", "Núria", "Vila", "fsc", [Role.TISF], "TISF (Familles Services Catalans)"),
    ("financeur.ddets66", "Marta", "Coll", "ddets66", [Role.FINANCEUR], "financeuse (DDETS 66)"),
    (
        "comite.dep66",
        "Arnau",
        "Bosch",
        "dep66",
        [Role.MEMBRE_COMITE, Role.FINANCEUR],
        "membre du comité (Département 66)",
    ),
    (
        "admin.araf",
        "Montserrat",
        "Ribas",
        "araf",
        [Role.ADMINISTRATEUR],
        "administratrice du dispositif (ARAF)",
    ),
    (
        "dpo.araf",
        "Carme",
        "Pons",
        "araf",
        [Role.DPO],
        "délégué à la protection des données (ARAF)",
    ),
]

COMITE_PO = [
    ("comite.dep66", RoleMembre.PRESIDENT),
    ("ts.araf", RoleMembre.SECRETAIRE),
    ("financeur.ddets66", RoleMembre.MEMBRE),
    ("cesf.tramontane", RoleMembre.MEMBRE),
]

# The demo's household, dwelling and funding builders (demo.menages, demo.logements,
# demo.financement) name the partners by their part in the Aude programme; in this one, each part
# is played by another organisation and account. The one landlord plays both landlords' parts.
ORGANISATIONS_PAR_ROLE_PO = {
    "adaff": "araf",
    "habitat": "tramontane",
    "alogea": "tramontane",
    "hdm": "hdm",
    "afc": "fsc",
    "ddcspp": "ddets66",
    "cg": "dep66",
}
COMPTES_PAR_ROLE_PO = {
    "ts.adaff": "ts.araf",
    "cesf.habitat": "cesf.tramontane",
    "cesf.alogea": "cesf.tramontane",
    "ts.hdm": "ts.hdm",
    "tisf.afc": "tisf.fsc",
}
