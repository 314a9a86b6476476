import datetime

import holidays
import pytest
from django.core.exceptions import ValidationError

from comites import calendrier


def test_working_days_follow_the_holidays_librarys_french_calendar():
    feries = holidays.France(years=range(2026, 2030))
    jour = datetime.date(2026, 1, 1)
    while jour.year < 2030:
        assert calendrier.est_jour_ouvre(jour) == (jour.weekday() < 5 and jour not in feries)
        jour += datetime.timedelta(days=1)


def test_next_working_day():
    assert calendrier.jour_ouvre_a_partir_du(datetime.date(2027, 1, 1)) == datetime.date(2027, 1, 4)
    assert calendrier.jour_ouvre_a_partir_du(datetime.date(2026, 12, 1)) == datetime.date(2026, 12, 1)
    # Easter Monday 2027 follows a weekend.
    assert calendrier.jour_ouvre_a_partir_du(datetime.date(2027, 3, 27)) == datetime.date(2027, 3, 30)


def test_weekend_and_holiday_are_refused_in_french():
    with pytest.raises(ValidationError, match="Le samedi 5 décembre 2026 tombe un week-end"):
        calendrier.valider_jour_ouvre(datetime.date(2026, 12, 5))
    with pytest.raises(
        ValidationError, match="Le vendredi 1er janvier 2027 est un jour férié \\(Jour de l’an\\)"
    ):
        calendrier.valider_jour_ouvre(datetime.date(2027, 1, 1))
    calendrier.valider_jour_ouvre(datetime.date(2026, 12, 1))
