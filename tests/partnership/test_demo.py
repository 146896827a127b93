"""The demo partnership's agreements and directory."""

import pytest

from soclocal.partnership.demo import load_demo_partnership
from soclocal.partnership.models import Agreement, Service

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_agreements_in_force_and_about_twenty_services():
    from soclocal.demo import load_people

    load_people()
    load_demo_partnership()
    load_demo_partnership()  # safe to run again
    agreements = list(Agreement.objects.all())
    assert len(agreements) == 3 and all(a.in_force and a.signatory_list for a in agreements)
    bases = " ".join(a.lawful_bases for a in agreements)
    for law in ("Crime and Disorder Act 1998 section 115", "Article 6(1)(e)",
                "DPA 2018 Part 3", "Children Act 2004 section 11"):
        assert law in bases
    assert [a.title for a in agreements if a.past_review] == [
        "Disclosure of police information to partners for crime reduction"]
    assert 18 <= Service.objects.count() <= 25
    assert all(s.how_to_refer and (s.contact_email or s.contact_phone)
               for s in Service.objects.all())
