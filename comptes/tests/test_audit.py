from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.apps import apps
from django.urls import reverse

from comptes.audit import AUDITED_APPS, NOT_AUDITED
from menages.tests.factories import IntervenantFactory, MenageFactory


def test_every_domain_model_is_audited(db):
    from auditlog.registry import auditlog

    missing = [
        model._meta.label
        for label in AUDITED_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in NOT_AUDITED and not auditlog.contains(model)
    ]
    assert missing == []


def test_change_is_recorded_with_author_before_and_after(programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Durand")
    with set_actor(programme.ts_adaff):
        menage.nom = "Durand-Martin"
        menage.save()
    entry = LogEntry.objects.get_for_object(menage).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == programme.ts_adaff
    assert entry.changes_dict["nom"] == ["Durand", "Durand-Martin"]


def test_opening_a_household_file_records_who_viewed_it(client, programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    client.force_login(programme.cesf_habitat)
    client.get(reverse("dossiers:detail", args=[menage.pk]))
    entry = LogEntry.objects.get_for_object(menage).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == programme.cesf_habitat


def test_refused_opening_records_nothing(client, programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea)
    client.force_login(programme.cesf_habitat)
    assert client.get(reverse("dossiers:detail", args=[menage.pk])).status_code == 404
    assert not LogEntry.objects.get_for_object(menage).filter(action=LogEntry.Action.ACCESS).exists()


def test_administrator_sees_who_viewed_and_changed_a_household(client, programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    client.force_login(programme.cesf_habitat)
    client.get(reverse("dossiers:detail", args=[menage.pk]))
    with set_actor(programme.ts_adaff):
        IntervenantFactory(menage=menage, utilisateur=programme.ts_hdm)
        menage.nom = "Nouveau nom"
        menage.save()

    client.force_login(programme.admin)
    response = client.get(reverse("menages:journal", args=[menage.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Consultation" in text and str(programme.cesf_habitat) in text
    assert "Modification" in text and "Nouveau nom" in text
    assert "Intervenant" in text  # the intervenant added is part of the household's trail


def test_only_administrators_see_the_journal(client, programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    client.force_login(programme.cesf_habitat)
    assert client.get(reverse("menages:journal", args=[menage.pk])).status_code == 403


def test_administrator_sees_what_one_user_opened(client, programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Durand")
    client.force_login(programme.cesf_habitat)
    client.get(reverse("dossiers:detail", args=[menage.pk]))
    client.force_login(programme.admin)
    url = reverse("journal_utilisateur", args=[programme.cesf_habitat.pk])
    response = client.get(url)
    assert response.status_code == 200 and "Consultation" in response.text and "Durand" in response.text
    client.force_login(programme.ts_adaff)
    assert client.get(url).status_code == 403


def test_access_log_is_purged_after_the_retention_period(programme, settings):
    import datetime

    from django.utils import timezone

    from comptes.audit import purge_access_log, record_view

    menage = MenageFactory(dispositif=programme.dispositif)
    with set_actor(programme.ts_adaff):
        record_view(menage)
        menage.nom = "Changé"
        menage.save()
    settings.ACCESS_LOG_RETENTION_DAYS = 365
    assert purge_access_log(timezone.now() + datetime.timedelta(days=364)) == 0
    assert purge_access_log(timezone.now() + datetime.timedelta(days=366)) == 1
    assert LogEntry.objects.get_for_object(menage).filter(action=LogEntry.Action.UPDATE).exists()


def test_user_journal_query_count_does_not_grow_with_entries(client, programme, count_queries):
    from comptes.audit import record_view

    url = reverse("journal_utilisateur", args=[programme.cesf_habitat.pk])
    client.force_login(programme.admin)
    with set_actor(programme.cesf_habitat):
        record_view(MenageFactory(dispositif=programme.dispositif))
    one = count_queries(client.get, url)
    with set_actor(programme.cesf_habitat):
        for _ in range(30):
            record_view(MenageFactory(dispositif=programme.dispositif))
    assert count_queries(client.get, url) == one


def test_household_journal_query_count_does_not_grow_with_entries(client, programme, count_queries):
    from comptes.audit import record_view

    menage = MenageFactory(dispositif=programme.dispositif)
    url = reverse("menages:journal", args=[menage.pk])
    client.force_login(programme.admin)
    with set_actor(programme.cesf_habitat):
        record_view(menage)
    one = count_queries(client.get, url)
    with set_actor(programme.ts_adaff):
        for _ in range(30):
            record_view(menage)
    assert count_queries(client.get, url) == one


def test_records_of_the_file_carry_their_household_in_the_trail(programme):
    from accompagnement.models import ChangementRythme
    from accompagnement.tests.factories import AccompagnementFactory

    accompagnement = AccompagnementFactory(menage__dispositif=programme.dispositif)
    # Directly attached (its own `menage`) and through another record (its support episode).
    rythme = ChangementRythme.objects.create(accompagnement=accompagnement, rythme="mensuel")
    for record in (accompagnement, rythme):
        entry = LogEntry.objects.get_for_object(record).get(action=LogEntry.Action.CREATE)
        assert entry.additional_data == {"menage_id": accompagnement.menage_id}


def test_household_journal_masks_classified_records_in_constant_queries(client, programme, count_queries):
    """Reading the confidentiality of the records in the page costs one query per classified model,
    however many entries."""
    from accompagnement.tests.factories import ContactFactory

    menage = MenageFactory(dispositif=programme.dispositif)
    url = reverse("menages:journal", args=[menage.pk])
    client.force_login(programme.admin)
    with set_actor(programme.ts_adaff):
        ContactFactory(
            menage=menage, auteur=programme.ts_adaff, note="Au CSAPA", reserve_travailleurs_sociaux=True
        )
    one = count_queries(client.get, url)
    with set_actor(programme.ts_adaff):
        for _ in range(20):
            ContactFactory(
                menage=menage, auteur=programme.ts_adaff, note="Au CSAPA", reserve_travailleurs_sociaux=True
            )
    response = client.get(url)
    assert "Au CSAPA" not in response.text and "contenu confidentiel" in response.text
    assert count_queries(client.get, url) == one


def test_household_journal_shows_values_as_a_reader_expects_them(client, programme):
    """A creation reads « – → Visite à domicile », a French local date and the author's name: not
    « None → vad », a UTC timestamp with microseconds or a user's id."""
    import datetime

    from django.utils import timezone

    from accompagnement.tests.factories import ContactFactory

    menage = MenageFactory(dispositif=programme.dispositif)
    quand = timezone.make_aware(datetime.datetime(2026, 7, 14, 9, 30))  # 07:30 UTC, summer time
    with set_actor(programme.ts_adaff):
        ContactFactory(menage=menage, auteur=programme.ts_adaff, date=quand, note="Point budget")
    client.force_login(programme.admin)
    text = client.get(reverse("menages:journal", args=[menage.pk])).text
    assert "Visite à domicile" in text and "14/07/2026 09:30" in text
    assert f"– → {programme.ts_adaff}" in text
    assert "None" not in text and "07:30:00" not in text and "<strong>ID</strong>" not in text


def test_household_journal_links_only_the_journals_the_administrator_may_open(client, programme):
    from comptes.audit import record_view
    from comptes.tests.factories import UtilisateurFactory

    technicien = UtilisateurFactory(username="tech", is_superuser=True, is_staff=True, organisation=None)
    menage = MenageFactory(dispositif=programme.dispositif)
    for qui in (technicien, programme.cesf_habitat):
        with set_actor(qui):
            record_view(menage)
    client.force_login(programme.admin)
    text = client.get(reverse("menages:journal", args=[menage.pk])).text
    assert reverse("journal_utilisateur", args=[programme.cesf_habitat.pk]) in text
    assert reverse("journal_utilisateur", args=[technicien.pk]) not in text and str(technicien) in text
    assert client.get(reverse("journal_utilisateur", args=[technicien.pk])).status_code == 404


def test_household_trail_is_read_from_indexes_not_by_scanning_the_whole_log(client, programme):
    """The journal's entries of one household (its own, and those carrying its id) come from the
    indexes on the entry's object and on `additional_data -> 'menage_id'` (menages migration 0019):
    the audit log grows with every file opened, the household's trail must not read all of it."""
    import pytest
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import Q

    from comptes.audit import record_view

    if connection.vendor != "postgresql":
        pytest.skip("the index is created on PostgreSQL")
    menage = MenageFactory(dispositif=programme.dispositif)
    with set_actor(programme.ts_adaff):
        record_view(menage)
    entrees = LogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(menage), object_id=menage.pk)
        | Q(additional_data__menage_id=menage.pk)
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small test table: force the choice
        sql, params = entrees.values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(ligne for (ligne,) in cursor.fetchall())
    assert "auditlog_logentry_menage_id" in plan
    assert "Seq Scan on auditlog_logentry" not in plan
