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


class AdministrateurBackend:
    """Gives the programme's administrators the model permissions of the admin site (add, change,
    delete, view), as a superuser has. Business permissions (rules) are not granted here: an
    administrator does not thereby read confidential notes."""

    MODEL_ACTIONS = ("add_", "change_", "delete_", "view_")

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if obj is not None or not getattr(user_obj, "est_administrateur", False):
            return False
        _app_label, _, codename = perm.partition(".")
        return codename.startswith(self.MODEL_ACTIONS)

    def has_module_perms(self, user_obj, app_label):
        return getattr(user_obj, "est_administrateur", False)
