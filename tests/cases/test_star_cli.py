"""`soclocal star load-descriptors`: licensed text for the star, all or nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soclocal.cases import star
from soclocal.cases.models import StarArea
from soclocal.cli import main

pytestmark = pytest.mark.django_db


def test_loads_a_good_file(tmp_path, capsys):
    path = tmp_path / "descriptors.csv"
    path.write_text("area,score,descriptor\n"
                    "Accommodation,1,Licensed text one\n"
                    "accommodation,2,Licensed text two\n"
                    "A crime-free life,10,Licensed text ten\n", encoding="utf-8")
    assert main(["star", "load-descriptors", str(path)]) == 0
    assert "Loaded 3 descriptors" in capsys.readouterr().out
    area = StarArea.objects.get(name="Accommodation")
    assert area.descriptors == {"1": "Licensed text one", "2": "Licensed text two"}
    assert star.default_instrument().licensed_text_loaded


def test_a_bad_file_changes_nothing_and_names_file_line_and_field(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("area,score,descriptor\n"
                    "Accommodation,1,Fine\n"
                    "Spaceships,2,Unknown area\n"
                    "Accommodation,11,Off the scale\n"
                    "Accommodation,3,\n", encoding="utf-8")
    assert main(["star", "load-descriptors", str(path)]) == 1
    err = capsys.readouterr().err
    assert "nothing was changed" in err
    assert "bad.csv, line 3, field area" in err
    assert "bad.csv, line 4, field score" in err
    assert "bad.csv, line 5, field descriptor" in err
    assert not star.default_instrument().licensed_text_loaded
    assert StarArea.objects.get(name="Accommodation").descriptors == {}


def test_a_file_without_the_columns_is_refused(tmp_path, capsys):
    path = tmp_path / "wrong.csv"
    path.write_text("name,value\nx,1\n", encoding="utf-8")
    assert main(["star", "load-descriptors", str(path)]) == 1
    assert "wrong.csv" in capsys.readouterr().err


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(score=st.one_of(st.integers(-50, 50).map(str), st.text(max_size=4)))
def test_any_score_is_loaded_only_when_on_the_scale(tmp_path, score):
    path = tmp_path / "one.csv"
    # Quote the score so commas or quotes in generated text stay in the one field.
    quoted = '"' + score.replace('"', '""') + '"'
    path.write_text(f"area,score,descriptor\nAccommodation,{quoted},Text\n", encoding="utf-8")
    try:
        ok = 1 <= int(score.strip()) <= 10
    except ValueError:
        ok = False
    assert (main(["star", "load-descriptors", str(path)]) == 0) is ok


def test_descriptors_load_into_a_named_star(tmp_path, capsys):
    from soclocal.cases import services

    other = services.create_instrument(
        None, name="Second star", scale_min=1, scale_max=4,
        stages=[{"name": "Low", "from": 1, "to": 2}, {"name": "High", "from": 3, "to": 4}],
        areas=["Home", "School"])
    path = tmp_path / "second.csv"
    path.write_text("area,score,descriptor\nHome,4,Settled at home\n", encoding="utf-8")
    assert main(["star", "load-descriptors", str(path), "--star", "second star"]) == 0
    assert other.areas.get(name="Home").descriptors == {"4": "Settled at home"}
    assert main(["star", "load-descriptors", str(path), "--star", "No such star"]) == 1
    assert "There is no star called 'No such star'" in capsys.readouterr().err
    # On the default star, Home is not an area, so the same file is refused there.
    assert main(["star", "load-descriptors", str(path)]) == 1
