"""Business-day deadlines of Chile."""

from datetime import datetime
from zoneinfo import ZoneInfo

from workflows.deadlines import add_business_days, add_deadline, is_business_day

TZ = ZoneInfo("America/Coyhaique")


def test_weekends_are_skipped():
    friday = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
    assert add_business_days(friday, 1).date().isoformat() == "2026-11-23"  # Monday


def test_national_holidays_are_skipped():
    # 18 and 19 September (Fiestas Patrias) 2026 are Friday and Saturday.
    thursday = datetime(2026, 9, 17, 9, 0, tzinfo=TZ)
    assert not is_business_day(datetime(2026, 9, 18).date())
    assert add_business_days(thursday, 1).date().isoformat() == "2026-09-21"


def test_time_of_day_is_kept():
    start = datetime(2026, 11, 23, 15, 30, tzinfo=TZ)
    assert add_business_days(start, 5).strftime("%H:%M") == "15:30"


def test_hours_are_plain_hours():
    start = datetime(2026, 11, 21, 23, 0, tzinfo=TZ)  # Saturday night
    assert add_deadline(start, 3, "hours") == datetime(2026, 11, 22, 2, 0, tzinfo=TZ)
