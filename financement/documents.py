"""The funder report (PDF, WeasyPrint): cover, summary, indicator tables, SVG charts, budget and
targets. Aggregated and anonymised: no name, small counts masked (statistical secrecy)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from financement import charts, indicators, secret_statistique


def contexte_rapport(rapport, indicateurs=None) -> dict:
    """The report's context: its indicators as funders see them (masked once, for the tables and
    the charts alike)."""
    indicateurs = indicateurs or indicators.calculer(rapport.dispositif, rapport.date_debut, rapport.date_fin)
    i = secret_statistique.masquer_indicateurs(indicateurs)
    return {
        "rapport": rapport,
        "dispositif": rapport.dispositif,
        "i": i,
        "graphiques": {k: mark_safe(v) for k, v in charts.graphiques(i).items()},  # noqa: S308  (built from escaped parts)
        "genere_le": timezone.now(),
    }


def rapport_pdf(rapport, progression=lambda p: None) -> bytes:
    from weasyprint import HTML

    indicateurs = indicators.calculer(rapport.dispositif, rapport.date_debut, rapport.date_fin)
    progression(30)
    contexte = contexte_rapport(rapport, indicateurs)
    progression(50)
    html = render_to_string("pdf/rapport_financeur.html", contexte)
    progression(60)
    contenu = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    progression(95)
    return contenu
