"""The estimated SOC-attributable crime, the SOC marker, number formats and the decile order."""

import base64
import io
import re
import zipfile

import pytest
from django.urls import reverse

from soclocal.core.access import Role
from soclocal.core.disclosure import MARK
from soclocal.crime.store import CRIME_TYPES
from soclocal.profiles import report, services
from soclocal.profiles.analytics import DEFAULT_HARM_WEIGHTS, soc_estimate
from soclocal.profiles.exports import render_file
from soclocal.profiles.templatetags.profile_numbers import count, harm, pct


def test_soc_estimate_by_hand():
    counts = dict.fromkeys(CRIME_TYPES, 0) | {"Drugs": 40, "Robbery": 10,
                                               "Violence and sexual offences": 100}
    fractions = dict.fromkeys(CRIME_TYPES, (0, 0, 0)) | {
        "Drugs": (0.1, 0.25, 0.4), "Robbery": (0.05, 0.1, 0.2),
        "Violence and sexual offences": (0.01, 0.03, 0.05)}
    weights = {"Drugs": 3.5, "Robbery": 365.0, "Violence and sexual offences": 185.42}
    e = soc_estimate(counts, weights, fractions)
    # low 40 x 0.1 + 10 x 0.05 + 100 x 0.01; central 10 + 1 + 3; high 16 + 2 + 5
    assert e["count"] == {"low": 5.5, "central": 14.0, "high": 23.0}
    assert e["share_of_count"] == {"low": 3.67, "central": 9.33, "high": 15.33}
    # central harm: 40 x 3.5 x 0.25 + 10 x 365 x 0.1 + 100 x 185.42 x 0.03
    assert e["harm"]["central"] == 956.26
    harm_total = 40 * 3.5 + 10 * 365 + 100 * 185.42
    assert e["share_of_harm"]["central"] == round(100 * 956.26 / harm_total, 2)
    assert e["fractions"]["Drugs"] == {"low": 0.1, "central": 0.25, "high": 0.4}


def test_number_formats():
    assert count(1234567) == "1,234,567" and count(3120.41) == "3,120" and count(MARK) == MARK
    assert harm(7298821.4) == "7,298,821" and harm(0.0) == "0"
    assert pct(86.857) == "86.9" and pct(5.0) == "5.0" and pct(None) == ""


def _x_positions(svg, labels):
    """The x position of each axis label, as the SVG draws it."""
    found = {}
    for x, text in re.findall(r'<text[^>]*transform="translate\(([\d.\-]+),[\d.\-]+\)"[^>]*>'
                              r'([^<]+)</text>', svg):
        if text in labels and text not in found:
            found[text] = float(x)
    return found


def test_the_decile_chart_reads_1_to_10():
    by_decile = [{"decile": d, "lsoas": 1, "population": 100, "count": 10 * d, "rate": 10.0 * d}
                 for d in range(1, 11)]
    doc = {"counts_by_crime_type": dict.fromkeys(CRIME_TYPES, 1), "trend": {"monthly": []},
           "deprivation": {"by_decile": by_decile}}
    chart = next(c for c in report.charts(doc) if c["id"] == "deciles")
    svg = base64.b64decode(chart["src"].split(",", 1)[1]).decode()
    labels = [str(d) for d in range(1, 11)]
    xs = _x_positions(svg, labels)
    assert sorted(xs, key=xs.get) == labels
    assert [row[0] for row in chart["rows"]] == list(range(1, 11))


@pytest.fixture
def city(geography, crime_store, make_user):
    """Nottingham, 179 small areas, over the fixture months."""
    from soclocal.areas.models import Area

    analyst = make_user(Role.ANALYST)
    return services.build_profile(analyst, Area.objects.get(type="lad", code="E06000018"),
                                  "2024-11", "2024-12")


def test_the_profile_carries_the_estimate_and_says_the_marker_is_not_carried(city):
    f = city.figures
    counts = f["counts_by_crime_type"]
    central = sum(counts[t] * fr["central"] for t, fr in f["soc"]["estimate"]["fractions"].items())
    assert f["soc"]["estimate"]["count"]["central"] == round(central, 2)
    harm_high = sum(counts[t] * DEFAULT_HARM_WEIGHTS[t] * fr["high"]
                    for t, fr in f["soc"]["estimate"]["fractions"].items())
    assert f["soc"]["estimate"]["harm"]["high"] == round(harm_high, 2)
    assert f["soc"]["estimate"]["share_of_count"]["high"] < 17
    assert f["soc"]["marker"] == {
        "carried": False, "count": None, "by_crime_type": None, "records_with_marker": 0,
        "note": "Not carried by this extract: police.uk files have no SOC marker."}
    # The old keys still work, under their plain name.
    assert f["soc"]["label"] == "Crime types often linked to SOC" and f["soc"]["share_of_harm"]


def test_page_pdf_and_html_print_the_estimate_with_fractions_and_formatted_numbers(city, client):
    client.force_login(city.built_by)
    page = client.get(reverse("profiles:profile", args=[city.pk])).content.decode()
    html, _, _ = render_file(city, "html", sharing=False)
    f = city.figures
    total = f"{f['total']:,}"
    assert "," in total
    central = f"{round(f['soc']['estimate']['count']['central']):,}"
    for text in (page, html):
        assert "SOC-linked share of harm" not in text
        assert "Estimated SOC-attributable crime" in text
        assert f"{central} (range" in text
        assert "drugs 10, 25, 40%" in text  # the fractions used, beside the estimate
        assert "Not carried by this extract" in text
        assert f"{total} (" in text
        assert f"{round(f['harm']['total']):,} (" in text
        assert str(f["harm"]["total"]) not in text  # never with decimals
    # The summary leads with the estimate; the types-often-linked figure comes after it.
    assert page.index("Estimated SOC-attributable crime") < page.index(
        "Harm from crime types often linked to SOC")
    findings = next(t for t in city.texts.values() if t.startswith(f"{total} crimes"))
    assert "An estimated" in findings and "made up" not in findings


def test_the_page_lists_the_top_20_and_the_full_table_is_one_click_away(city, client):
    client.force_login(city.built_by)
    page = client.get(reverse("profiles:profile", args=[city.pk])).content.decode()
    top = page[page.index('id="top-areas"'):page.index("</table>", page.index('id="top-areas"'))]
    assert top.count('<tr class="govuk-table__row">') == 21  # the heading and 20 areas
    every = page[page.index('id="all-areas"'):]
    every = every[:every.index("</details>")]
    assert every.count('scope="row"') == len(city.figures["lsoas"]) == 179
    _, _, _ = render_file(city, "pdf", sharing=False)  # the PDF renders with the map
    zipped, _, _ = render_file(city, "csv", sharing=False)
    with zipfile.ZipFile(io.BytesIO(zipped)) as z:
        lines = z.read("small_areas.csv").decode().splitlines()
        assert len(lines) == 180
        assert "soc_estimate.csv" in z.namelist()
        assert z.read("counts_by_crime_type.csv").decode().splitlines()[0].endswith(
            "soc_fraction_low,soc_fraction_central,soc_fraction_high,soc_marked")


def test_the_sharing_version_hides_the_estimate_when_a_count_it_uses_is_hidden(
        geography, crime_store, make_user):
    from soclocal.areas.models import Area

    ward = services.build_profile(make_user(Role.ANALYST), Area.objects.get(
        type="ward", code="E05012287"), "2024-11", "2024-11")
    shared = report.sharing_version(ward.figures)
    hidden = [t for t, n in shared["counts_by_crime_type"].items() if n == MARK]
    fractions = ward.figures["soc"]["estimate"]["fractions"]
    assert any(fractions[t]["high"] for t in hidden), "the ward needs a hidden count"
    assert shared["soc"]["estimate"]["count"] == dict.fromkeys(("low", "central", "high"), MARK)
    assert shared["soc"]["estimate"]["fractions"] == fractions  # the fractions stay printed
    assert ward.figures["soc"]["estimate"]["count"]["central"] > 0


def test_fractions_page_saves_validates_and_new_profiles_print_them(city, client):
    client.force_login(city.built_by)
    url = reverse("profiles:soc_fractions")
    page = client.get(url)
    assert page.status_code == 200 and b"Share of each crime type" in page.content
    data = {}
    for t in CRIME_TYPES:
        key = "w_" + "".join(c if c.isalnum() else "_" for c in t.lower())
        data |= {f"{key}_low": "0", f"{key}_central": "0", f"{key}_high": "0"}
    bad = data | {"w_drugs_low": "30", "w_drugs_central": "20", "w_drugs_high": "40"}
    response = client.post(url, bad)
    assert response.status_code == 200
    assert b"the low percentage must be no more than the central" in response.content
    assert b'value="30"' in response.content  # what was typed is kept
    good = data | {"w_drugs_low": "5", "w_drugs_central": "20", "w_drugs_high": "50"}
    assert client.post(url, good).status_code == 302
    new = services.build_profile(city.built_by, city.area, "2024-11", "2024-12")
    drugs = new.figures["counts_by_crime_type"]["Drugs"]
    assert new.figures["soc"]["estimate"]["fractions"]["Drugs"] == {
        "low": 0.05, "central": 0.2, "high": 0.5}
    assert new.figures["soc"]["estimate"]["count"]["central"] == round(drugs * 0.2, 2)
    shown = client.get(reverse("profiles:profile", args=[new.pk])).content.decode()
    assert "drugs 5, 20, 50%" in shown
