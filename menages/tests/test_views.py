from django.urls import reverse

from menages.tests.factories import IntervenantFactory, MenageFactory


def make_households(programme, n):
    for _ in range(n):
        menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
        IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)


def test_list_shows_visible_households(client, programme):
    make_households(programme, 3)
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("menages:liste"))
    assert response.status_code == 200
    assert "3 ménages que vous pouvez consulter" in response.text


def test_list_query_count_does_not_grow_with_households(client, programme, count_queries):
    client.force_login(programme.ts_adaff)
    make_households(programme, 1)
    one = count_queries(client.get, reverse("menages:liste"))
    make_households(programme, 49)
    fifty = count_queries(client.get, reverse("menages:liste"))
    assert one == fifty


def test_detail_query_count_does_not_grow_with_intervenants(client, programme, count_queries):
    client.force_login(programme.ts_adaff)
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    url = reverse("menages:detail", args=[menage.pk])
    one = count_queries(client.get, url)
    for _ in range(20):
        IntervenantFactory(menage=menage, utilisateur=programme.ts_hdm)
    many = count_queries(client.get, url)
    assert one == many


def test_list_is_paginated(client, programme):
    make_households(programme, 30)
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("menages:liste"), {"page": 2})
    assert "Page 2 sur 2" in response.text
    assert client.get(reverse("menages:liste"), {"page": "n’importe quoi"}).status_code == 200
