from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class DemoAwareModelBackend(ModelBackend):
    """The usual username/password backend, which refuses demo accounts outside demo mode and
    loads the user's organisation and roles in the same round trip on every request."""

    def user_can_authenticate(self, user):
        if getattr(user, "est_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id):
        from comptes.models import Utilisateur

        user = (
            Utilisateur.objects.select_related("organisation")
            .prefetch_related("attributions_roles")
            .filter(pk=user_id)
            .first()
        )
        return user if user and self.user_can_authenticate(user) else None
