import datetime

import pytest
from django.template import Context, Template

from menages.parties import Evenement


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 1, 18, 23, 30, tzinfo=datetime.UTC),  # already the 19th in Paris
        datetime.datetime(2026, 7, 1, 22, 15, 12, 345, tzinfo=datetime.UTC),  # summer time, microseconds
    ],
)
def test_timeline_dates_read_as_the_date_filter_would_write_them(moment):
    evenement = Evenement(moment, "Visite à domicile")
    rendered = Template('{{ d|date:"c" }} {{ d|date:"d/m/Y" }}').render(Context({"d": moment}))
    assert f"{evenement.date_iso} {evenement.jour}" == rendered
