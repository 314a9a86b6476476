"""Documents of a session: the calendar invitation (.ics) and the minutes (PDF, WeasyPrint)."""

import datetime
from collections import Counter

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from comites.enums import Avis


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics(seance) -> str:
    """An iCalendar invitation for the session (RFC 5545), times in UTC."""
    debut = seance.date.astimezone(datetime.UTC)
    fin = debut + datetime.timedelta(hours=2)
    lieu = seance.lieu or seance.lien_visio or ""
    description = f"Ordre du jour : {settings.SITE_URL}{seance.get_absolute_url()}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ASEA//Comites//FR",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:seance-{seance.pk}@asea",
        f"DTSTAMP:{timezone.now().astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART:{debut:%Y%m%dT%H%M%SZ}",
        f"DTEND:{fin:%Y%m%dT%H%M%SZ}",
        f"SUMMARY:{_ics_text(str(seance))}",
        f"LOCATION:{_ics_text(lieu)}",
        f"DESCRIPTION:{_ics_text(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def contexte_pv(seance) -> dict:
    from comites.selectors import synthese

    points = []
    # The documents circulate: households by reference and initials only, in the referent's
    # summary too (names written in it are replaced by initials).
    for point in seance.points.select_related("menage", "decide_par", "seance").prefetch_related(
        "avis__membre__utilisateur", "menage__membres"
    ):
        votes = Counter(a.avis for a in point.avis.all())
        points.append(
            {
                "point": point,
                "votes": [(label, votes.get(value, 0)) for value, label in Avis.choices],
                "avis": list(point.avis.all()),
                "synthese": synthese(point, initiales=True),
            }
        )
    presences = seance.presences.select_related("membre__utilisateur__organisation")
    return {
        "seance": seance,
        "points": points,
        "presences": presences,
        "pv_approuves": seance.pv_approuves.order_by("date"),
        "genere_le": timezone.now(),
    }


def pv_pdf(seance) -> bytes:
    from weasyprint import HTML

    html = render_to_string("pdf/pv.html", contexte_pv(seance))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def ordre_du_jour_pdf(seance) -> bytes:
    """The agenda with each item's proposal and the referent's summary, for the members."""
    from weasyprint import HTML

    html = render_to_string("pdf/ordre_du_jour.html", contexte_pv(seance))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
