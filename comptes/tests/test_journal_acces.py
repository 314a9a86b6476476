"""The access log's one mechanism (comptes.journal_acces): what is logged, and how often."""

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse

from comptes.journal_acces import journaliser
from logements.tests.factories import LogementFactory
from menages.tests.factories import IntervenantFactory, MembreFactory, MenageFactory


def _acces():
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS)


def test_opening_a_household_file_logs_one_access_with_its_reader(client, programme):
    menage = MenageFactory(dispositif=programme.dispositif)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    assert client.get(reverse("dossiers:detail", args=[menage.pk])).status_code == 200
    (entree,) = _acces()
    assert entree.object_pk == str(menage.pk) and entree.actor == programme.ts_adaff


def test_a_record_of_the_file_is_logged_once_per_request_with_its_household(programme):
    menage = MenageFactory(dispositif=programme.dispositif)
    membre = MembreFactory(menage=menage)
    user = programme.ts_adaff
    with set_actor(user):
        assert journaliser(membre, user) is True
        assert journaliser(membre, user) is False  # the same page loading it again
        assert journaliser(menage, user) is True
    assert _acces().count() == 2
    assert _acces().get(object_pk=str(membre.pk), content_type__model="membre").additional_data == {
        "menage_id": menage.pk
    }


def test_records_without_personal_data_are_not_logged(programme):
    with set_actor(programme.cesf_habitat):
        assert journaliser(LogementFactory(), programme.cesf_habitat) is False
    assert not _acces().exists()
