import django_filters
from django.db.models import Q

from comptes.formats import MontantField
from comptes.models import Commune
from logements.enums import StatutLogement, Typologie
from logements.models import Logement, bailleurs_visible_to


class MontantFilter(django_filters.NumberFilter):
    field_class = MontantField


class LogementFilter(django_filters.FilterSet):
    recherche = django_filters.CharFilter(label="Référence ou adresse", method="filter_recherche")
    bailleur = django_filters.ModelChoiceFilter(label="Bailleur", queryset=None, empty_label="Tous")
    commune = django_filters.ModelChoiceFilter(
        label="Commune", queryset=Commune.objects.all(), empty_label="Toutes"
    )
    typologie = django_filters.ChoiceFilter(
        label="Typologie", choices=Typologie.choices, empty_label="Toutes"
    )
    statut = django_filters.ChoiceFilter(label="Statut", choices=StatutLogement.choices, empty_label="Tous")
    loyer_max = MontantFilter(label="Loyer maximal (€, hors charges)", field_name="loyer", lookup_expr="lte")

    class Meta:
        model = Logement
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["bailleur"].queryset = bailleurs_visible_to(user)

    def filter_recherche(self, queryset, name, value):
        return queryset.filter(Q(reference_bailleur__icontains=value) | Q(adresse__icontains=value))
