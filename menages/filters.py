import django_filters
from django import forms
from django.urls import reverse_lazy

from comptes.enums import CodeNiveau, Role, TypeOrganisation
from comptes.models import Commune, Organisation, Utilisateur
from comptes.selectors import dispositifs_de, rechercher_utilisateurs
from comptes.widgets import AutocompleteFilter
from menages.enums import EtatParcours, Probleme, SourceOrientation, TypeIntervention
from menages.models import Intervenant, Menage, ProblemeMenage


def referents_visibles(user):
    """The active social workers of the user's programmes: whom the list may be filtered on as a
    referent. Searched (comptes.widgets), never listed: at scale they are hundreds."""
    if user is None or not user.is_authenticated:
        return Utilisateur.objects.none()
    return (
        Utilisateur.objects.filter(
            attributions_roles__role=Role.TRAVAILLEUR_SOCIAL,
            is_active=True,
            organisation__dispositifs__in=dispositifs_de(user),
        )
        .only("pk", "username", "first_name", "last_name")
        .distinct()
    )


class MenageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Nom ou référence", method="filter_q")
    etat = django_filters.ChoiceFilter(label="Étape", choices=EtatParcours.choices, empty_label="Toutes")
    bailleur = django_filters.ModelChoiceFilter(
        label="Bailleur",
        queryset=Organisation.objects.filter(type=TypeOrganisation.BAILLEUR),
        empty_label="Tous",
    )
    commune = django_filters.ModelChoiceFilter(
        label="Commune", queryset=Commune.objects.all(), empty_label="Toutes"
    )
    niveau = django_filters.ChoiceFilter(label="Niveau", choices=CodeNiveau.choices, empty_label="Tous")
    referent = AutocompleteFilter(
        label="Référent",
        queryset=Utilisateur.objects.none(),
        recherche=rechercher_utilisateurs,
        url=reverse_lazy("menages:referents"),
        method="filter_referent",
    )
    source_orientation = django_filters.ChoiceFilter(
        label="Origine", choices=SourceOrientation.choices, empty_label="Toutes"
    )
    probleme = django_filters.ChoiceFilter(
        label="Difficulté", choices=Probleme.choices, method="filter_probleme", empty_label="Toutes"
    )
    mes_menages = django_filters.BooleanFilter(
        label="Seulement mes ménages", method="filter_mes_menages", widget=forms.CheckboxInput
    )

    class Meta:
        model = Menage
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["referent"].extra["queryset"] = referents_visibles(user)
        # The landlords of the programmes the user works on now: not those of another programme.
        self.filters["bailleur"].queryset = (
            Organisation.objects.filter(
                type=TypeOrganisation.BAILLEUR, dispositifs__in=dispositifs_de(user)
            ).distinct()
            if user is not None and user.is_authenticated
            else Organisation.objects.none()
        )

    def qs_sans_etat(self):
        """The households matching every filter but the step, for the counts by step: the form
        already validated, without a second filter set to build and validate. Only on a valid form.
        The queryset given itself when no other filter is set (an empty value filters nothing: an
        unchecked box neither), which tells the list that its counts are all the visible ones'."""
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name != "etat" and value not in (None, "", False, [], (), {}):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_referent(self, queryset, name, value):
        ids = Intervenant.objects.actifs().filter(type=TypeIntervention.REFERENT, utilisateur=value)
        return queryset.filter(pk__in=ids.values("menage_id"))

    def filter_probleme(self, queryset, name, value):
        # A subquery rather than a join: no duplicate rows, no DISTINCT over the whole list.
        return queryset.filter(pk__in=ProblemeMenage.objects.filter(code=value).values("menage_id"))

    def filter_mes_menages(self, queryset, name, value):
        return queryset.followed_by(self.request.user) if value else queryset
