"""The four support levels of the project sheet, for the tests that need a programme's levels.

Kept apart from the demo data set on purpose: the tests' hand-worked figures (durations, overruns)
must not move when the demo is edited."""

from comptes.enums import CodeNiveau

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
