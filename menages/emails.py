from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from menages.enums import DecisionFinanceur
from menages.selectors import resume_anonymise
from menages.tokens import make_token


def validation_links(validation) -> dict[str, str]:
    return {
        decision: settings.SITE_URL
        + reverse("menages:validation_publique", args=[make_token(validation.pk, decision)])
        for decision in (DecisionFinanceur.VALIDEE, DecisionFinanceur.REFUSEE)
    }


def send_validation_request(validation) -> None:
    menage = validation.menage
    links = validation_links(validation)
    context = {
        "validation": validation,
        "resume": resume_anonymise(menage),
        "lien_valider": links[DecisionFinanceur.VALIDEE],
        "lien_refuser": links[DecisionFinanceur.REFUSEE],
        "validite_jours": menage.dispositif.validite_lien_validation_jours,
    }
    send_mail(
        subject=f"ASEA – validation d’un ménage proposé ({menage.reference})",
        message=render_to_string("emails/validation_financeur.txt", context),
        from_email=None,
        recipient_list=[validation.destinataire.email],
    )
