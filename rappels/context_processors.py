from comptes.memo import memoriser
from rappels.models import Rappel
from rappels.notifications import cle_non_lues


def notifications(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    # Read once a request: the dashboard counts them with its news (nouveautes_dossier_locatif).
    return {
        "notifications_non_lues": memoriser(
            cle_non_lues(user), lambda: Rappel.objects.pour(user).non_lus().count()
        )
    }
