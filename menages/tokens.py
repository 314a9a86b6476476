"""Signed, expiring links sent to funders. Single use is enforced by the answer's state in the
database: once a validation has an answer, its links only say so."""

import datetime

from django.core import signing

from menages.enums import DecisionFinanceur

SALT = "menages.validation-financeur"


class LienInvalide(Exception):
    """A link that cannot be used; its message is shown to the person, in French."""


def make_token(validation_id: int, decision: str) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"v": validation_id, "d": decision})


def read_token(token: str, max_age: datetime.timedelta | None = None) -> tuple[int, str]:
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LienInvalide(
            "Ce lien a expiré. Vous pouvez répondre directement à l’équipe du dispositif, qui "
            "enregistrera votre réponse, ou demander un nouveau lien."
        ) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LienInvalide(
            "Ce lien n’est pas valide : il a peut-être été coupé ou modifié. Utilisez le lien complet "
            "reçu par courriel."
        ) from exc
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("v"), int)
        or data.get("d") not in {DecisionFinanceur.VALIDEE, DecisionFinanceur.REFUSEE}
    ):
        raise LienInvalide("Ce lien n’est pas valide.")
    return data["v"], data["d"]
