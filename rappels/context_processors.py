from rappels.models import Rappel


def notifications(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"notifications_non_lues": Rappel.objects.pour(user).non_lus().count()}
