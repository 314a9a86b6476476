from django.conf import settings
from django.urls import reverse
from django.utils.functional import cached_property

from comptes.enums import Role


def navigation(request):
    """The main menu, adapted to the user's roles. Hiding an entry is a convenience only: every
    view checks access itself."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"navigation": []}
    if settings.OTP_REQUIRED and not getattr(user, "is_verified", lambda: False)():
        return {"navigation": []}  # nothing to open before the second factor
    items = [("Tableau de bord", reverse("tableau_de_bord"))]
    if user.has_perm("menages.voir_menages") or user.has_perm("comites.voir"):
        items.append(("Mon agenda", reverse("accueil:agenda")))
    if user.has_perm("menages.voir_menages"):
        items.append(("Ménages", reverse("dossiers:liste")))
    if user.has_perm("logements.voir_logements"):
        items.append(("Logements", reverse("logements:liste")))
    if user.has_perm("logements.voir_attributions"):
        items.append(("Attributions", reverse("logements:attributions")))
    if user.has_perm("comites.voir"):
        items.append(("Comités", reverse("comites:seances")))
    if user.has_perm("financement.voir"):
        items.append(("Financement", reverse("financement:index")))
    if user.has_perm("financement.voir_consolide") and not user.has_perm("financement.voir"):
        # The national funder's one page; the administrator reaches it from « Financement ».
        items.append(("Chiffres consolidés", reverse("financement:consolide")))
    if user.has_perm("dossiers.relire_acces"):
        items.append(("Droits d’accès", reverse("dossiers:acces_a_relire")))
    if user.est_administrateur:
        items.append(("Administration", reverse("administration:index")))
    if user.is_superuser:
        items.append(("Administration technique", reverse("admin:index")))
    current = request.path
    # The entry whose address is the longest start of the page's (« Attributions » under
    # « Logements »).
    actif = max(
        (url for _label, url in items if current == url or (url != "/" and current.startswith(url))),
        key=len,
        default=None,
    )
    return {"navigation": [{"label": label, "url": url, "actif": url == actif} for label, url in items]}


class ProgrammeCourant:
    """The header's programme: its name, and the selector when the user's organisation takes part
    in more than one active programme. Read from the session (kept at login): no query."""

    def __init__(self, request):
        self.request = request
        self.user = request.user

    @cached_property
    def _siens(self):
        from comptes.selectors import DISPOSITIFS_SESSION_KEY, memoriser_programmes

        siens = self.request.session.get(DISPOSITIFS_SESSION_KEY)
        return siens if siens is not None else memoriser_programmes(self.request.session, self.user)

    @cached_property
    def consolide_seulement(self):
        """A national or regional funder reads the consolidated figures of all its programmes and
        no household: no current programme, no selector."""
        return self.user.roles == {Role.FINANCEUR_NATIONAL}

    @property
    def tous(self):
        return self.consolide_seulement

    @cached_property
    def courant(self):
        """As `comptes.selectors.dispositifs_courants` decides it: the chosen one, or the first."""
        if self.consolide_seulement:
            return None
        choisi = getattr(self.user, "dispositif_courant_id", None)
        return next((d for d in self._siens if d["pk"] == choisi), self._siens[0] if self._siens else None)

    @property
    def choix(self):
        """The active programmes offered by the selector: none with fewer than two."""
        actifs = [d for d in self._siens if d["actif"]]
        return actifs if len(actifs) > 1 and not self.consolide_seulement else []


def programme(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"programme": ProgrammeCourant(request)}
