"""The funder report (PDF, WeasyPrint): cover, summary, indicator tables, SVG charts, budget and
targets. Aggregated and anonymised: no name, small counts masked (statistical secrecy)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from financement import charts, indicators, secret_statistique


def periode_precedente(debut: datetime.date, fin: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of the same length just before [debut, fin]: a period of whole months goes back by
    as many months (a quarter to the quarter before, a year to the year before), any other by as
    many days."""
    veille = debut - datetime.timedelta(days=1)
    lendemain = fin + datetime.timedelta(days=1)
    if debut.day == 1 and lendemain.day == 1:
        mois = (lendemain.year - debut.year) * 12 + lendemain.month - debut.month
        return debut - relativedelta(months=mois), veille
    return debut - (lendemain - debut), veille


def _precedente(rapport):
    """The previous period of the same length, or None when it ends before the programme starts."""
    debut, fin = periode_precedente(rapport.date_debut, rapport.date_fin)
    return (debut, fin) if fin >= rapport.dispositif.date_debut else None


def contexte_rapport(rapport, indicateurs=None, precedents=None, arretes_le=None) -> dict:
    """The report's context: its indicators as funders see them (masked once, for the tables and
    the charts alike) and those of the previous period of the same length, computed and
    masked the same way on their own (`precedente`, None when that period ends before the programme
    starts). `arretes_le`: when the figures were read (now by default)."""
    arretes_le = arretes_le or timezone.now()
    indicateurs = indicateurs or indicators.calculer(rapport.dispositif, rapport.date_debut, rapport.date_fin)
    i = secret_statistique.masquer_indicateurs(indicateurs)
    precedente = _precedente(rapport)
    precedents_masques = None
    if precedente:
        precedents_masques = secret_statistique.masquer_indicateurs(
            precedents or indicators.calculer(rapport.dispositif, *precedente)
        )
    return {
        "rapport": rapport,
        "dispositif": rapport.dispositif,
        "i": i,
        "precedente": precedents_masques,
        "periode_precedente": precedente,
        "graphiques": {k: mark_safe(v) for k, v in charts.graphiques(i).items()},  # noqa: S308  (built from escaped parts)
        "arretes_le": arretes_le,
    }


def rapport_pdf(rapport, progression=lambda p: None) -> bytes:
    from weasyprint import HTML

    # The figures are frozen when they start being read: nothing recorded afterwards is in them.
    arretes_le = timezone.now()
    indicateurs = indicators.calculer(rapport.dispositif, rapport.date_debut, rapport.date_fin)
    progression(25)
    precedente = _precedente(rapport)
    precedents = indicators.calculer(rapport.dispositif, *precedente) if precedente else None
    progression(40)
    contexte = contexte_rapport(rapport, indicateurs, precedents, arretes_le)
    progression(50)
    html = render_to_string("pdf/rapport_financeur.html", contexte)
    progression(60)
    contenu = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    progression(95)
    return contenu
