"""The commissioner's report: counts by treatment service and quarter, small numbers hidden on the page, in the CSV
and in the PDF, never a person; who sees which services; every look written down."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ostsafe.accounts.tests.factories import OrganisationFactory, TeamFactory
from ostsafe.audit.models import AccessEvent
from ostsafe.core.roles import OrganisationType
from ostsafe.families.tests.factories import ChildFactory, HouseholdFactory, ServiceUserFactory
from ostsafe.management import reports
from ostsafe.management.disclosure import Hidden
from ostsafe.management.models import PracticeFigure
from ostsafe.management.services import record_practice_figures

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def families_with_children(team, n, keyworker=None):
    for _ in range(n):
        su = ServiceUserFactory(household=HouseholdFactory(team=team), keyworker=keyworker)
        ChildFactory(household=su.household)


def section(report, title):
    return next(s for s in report.sections if s.title == title)


def test_quarters_are_the_financial_years_and_this_one_counts_to_today():
    q = reports.quarter_of(datetime.date(2026, 12, 1))
    assert (q.start, q.end) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert q.label == "October to December 2026 (Q3 2026-27)"
    assert reports.quarter_of(datetime.date(2027, 2, 14)).label == "January to March 2027 (Q4 2026-27)"
    assert reports.quarter_of(datetime.date(2026, 4, 1)).label == "April to June 2026 (Q1 2026-27)"
    assert q.counted_on(datetime.date(2026, 12, 1)) == datetime.date(2026, 12, 1)
    assert [x.key for x in reports.recent_quarters(datetime.date(2026, 12, 1))] == [
        "2026-10",
        "2026-07",
        "2026-04",
        "2026-01",
        "2025-10",
    ]


def test_small_counts_are_hidden_and_cannot_be_worked_out_from_the_total(world):
    # Two services: one with 2 families with children (a small count), one with 12.
    other = TeamFactory(organisation=OrganisationFactory(type=OrganisationType.TREATMENT_SERVICE))
    families_with_children(world.household.team, 1)  # world's own family + 1 = 2
    families_with_children(other, 12)
    record_practice_figures(as_of=TODAY)
    report = reports.commissioner_report(world.users["commissioner"], reports.quarter_of(TODAY), TODAY)
    people = section(report, "People").published
    rows = dict(people.body())
    service = world.household.team.organisation.name
    assert rows[service][2] is Hidden.SMALL
    # The total would give the small count away (14 - 12): the other service's count is hidden too.
    assert rows[other.organisation.name][2] is Hidden.SECONDARY or rows["Total"][2] is Hidden.SECONDARY
    # The practice tables leave the small service out, and their totals are over the services shown.
    assessment = section(report, "Whole-family assessment current")
    assert service in assessment.left_out


def test_the_commissioner_sees_every_treatment_service_and_a_manager_only_their_own(world):
    OrganisationFactory(type=OrganisationType.TREATMENT_SERVICE, name="Another Drug Service")
    quarter = reports.quarter_of(TODAY)
    commissioner = reports.commissioner_report(world.users["commissioner"], quarter, TODAY)
    manager = reports.commissioner_report(world.users["manager"], quarter, TODAY)
    treatment_services = {"Another Drug Service", world.household.team.organisation.name}
    assert treatment_services <= {s.name for s in commissioner.services}
    assert {s.name for s in manager.services} == {world.household.team.organisation.name}


def test_no_person_or_family_is_named_anywhere_in_the_report(client, world):
    families_with_children(world.household.team, 8, keyworker=world.users["keyworker"])
    record_practice_figures(as_of=TODAY)
    client.force_login(world.users["commissioner"])
    page = client.get(reverse("management:report")).content.decode()
    csv = client.get(reverse("management:report_csv")).content.decode("utf-8")
    pdf = client.get(reverse("management:report_pdf"))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    people = [world.service_user.full_name, world.household.name, world.users["keyworker"].full_name]
    for name in people:
        assert name not in page and name not in csv and name not in text
    assert "Whole-family assessment current" in text and "fewer than 5" in text
    assert pdf["Content-Type"] == "application/pdf" and "attachment;" in pdf["Content-Disposition"]


def test_the_downloads_hide_what_the_page_hides(client, world):
    families_with_children(world.household.team, 2)
    client.force_login(world.users["commissioner"])
    csv = client.get(reverse("management:report_csv")).content.decode("utf-8")
    assert csv.startswith("\ufeffTable,Service,Column,Count")
    service = world.household.team.organisation.name
    line = next(
        x for x in csv.splitlines() if x.startswith("People,") and "Families with children" in x and service in x
    )
    assert line.endswith(("fewer than 5", "hidden"))


def test_every_count_rounded_to_five_when_the_service_chooses_rounding(world, settings):
    settings.OSTSAFE_DISCLOSURE_ROUND_TO = 5
    families_with_children(world.household.team, 6)
    report = reports.commissioner_report(world.users["commissioner"], reports.quarter_of(TODAY), TODAY)
    for s in report.sections:
        if s.published is not None:
            assert all(isinstance(v, int) and v % 5 == 0 for row in s.published.cells for v in row)


def test_the_practice_figures_come_from_the_last_month_kept_in_the_quarter(world):
    families_with_children(world.household.team, 6)
    quarter = reports.quarter_of(TODAY)
    assert reports.commissioner_report(world.users["commissioner"], quarter, TODAY).figures_from is None
    record_practice_figures(as_of=TODAY)
    assert PracticeFigure.objects.exists()
    report = reports.commissioner_report(world.users["commissioner"], quarter, TODAY)
    assert report.figures_from == TODAY.replace(day=1)
    assessment = section(report, "Whole-family assessment current").published
    assert dict(assessment.body())[world.household.team.organisation.name][2] == 7


def test_opening_and_downloading_the_report_is_audited_and_a_keyworker_is_refused(client, world):
    commissioner = world.users["commissioner"]
    client.force_login(commissioner)
    assert client.get(reverse("management:report"), {"quarter": "1999-01"}).status_code == 200  # ignored: this one
    client.get(reverse("management:report_csv"))
    actions = sorted(AccessEvent.objects.filter(user=commissioner).values_list("action", flat=True))
    assert actions == ["management.report", "management.report_download"]
    client.force_login(world.users["keyworker"])
    assert client.get(reverse("management:report")).status_code == 403
    assert AccessEvent.objects.filter(user=world.users["keyworker"], action="management.report").exists()


def test_the_commissioner_lands_on_the_report(client, world):
    client.force_login(world.users["commissioner"])
    assert client.get("/")["Location"] == reverse("management:report")
