"""Place names (cradle.finder.places): exact names in their everyday forms, misspellings as
suggestions, and every real authority matching itself."""

import pytest

from cradle.finder import places
from cradle.finder.places import Gazetteer, Place, distance_km, keys_for, shipped_authorities


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer([
        *places.authority_places(shipped_authorities()), *places.nation_places(),
        Place("NHS Leeds CCG", "health area", "E38000225", "ccg2019", "England"),
        Place("NHS Lothian", "health area", "S08000024", "hb", "Scotland"),
        Place("Cardiff and Vale University Health Board", "health area", "W11000029", "lhb",
              "Wales"),
        Place("Carlisle", "former local authority", "E07000028", nation="England"),
    ])


@pytest.mark.parametrize(("typed", "name", "kind"), [
    ("Cardiff", "Cardiff", "local authority"),
    ("caerdydd", "Cardiff", "local authority"),  # the Welsh name
    ("Edinburgh", "City of Edinburgh", "local authority"),
    ("Bristol", "Bristol, City of", "local authority"),
    ("St Helens", "St. Helens", "local authority"),
    ("Hull", "Kingston upon Hull, City of", "local authority"),
    ("leeds council", "Leeds", "local authority"),
    ("Leeds", "Leeds", "local authority"),  # the council before the CCG of the same name
    ("NHS Leeds CCG", "NHS Leeds CCG", "health area"),
    ("Lothian", "NHS Lothian", "health area"),
    ("cardiff and vale", "Cardiff and Vale University Health Board", "health area"),
    ("Carlisle", "Carlisle", "former local authority"),
    ("wales", "Wales", "nation"),
])
def test_names_match_in_their_everyday_forms(gazetteer, typed, name, kind):
    best = gazetteer.match(typed).best
    assert (best.name, best.kind) == (name, kind)


def test_a_misspelling_gets_did_you_mean_not_a_match(gazetteer):
    found = gazetteer.match("Manchster")
    assert found.best is None
    assert [place.name for place in found.suggestions] == ["Manchester"]


def test_a_name_that_starts_several_places_suggests_them(gazetteer):
    names = {place.name for place in gazetteer.match("Newcastle").suggestions}
    assert names == {"Newcastle upon Tyne", "Newcastle-under-Lyme"}


def test_nonsense_matches_nothing_and_suggests_nothing(gazetteer):
    found = gazetteer.match("xyzzy plugh")
    assert (found.best, found.suggestions) == (None, ())


def test_every_december_2023_authority_matches_itself_exactly(gazetteer):
    # So no real council is ever told to check its spelling.
    for authority in shipped_authorities().values():
        best = gazetteer.match(authority.name).best
        assert (best.kind, best.code) == ("local authority", authority.code), authority.name


def test_the_shipped_authorities_are_the_361_of_december_2023():
    authorities = shipped_authorities()
    assert len(authorities) == 361
    assert authorities["E08000035"].name == "Leeds"
    assert authorities["W06000015"].welsh_name == "Caerdydd"


@pytest.mark.parametrize(("name", "key"), [
    ("NHS West Yorkshire ICB - 15F", "west yorkshire"),
    ("Belfast Health and Social Care Trust", "belfast"),
    ("Kingston upon Hull, City of", "kingston upon hull"),
    ("Brighton & Hove", "brighton and hove"),
])
def test_keys_drop_what_people_leave_off(name, key):
    assert key in keys_for(name)


def test_distance_between_leeds_and_manchester_is_about_55_km():
    authorities = shipped_authorities()
    leeds, manchester = authorities["E08000035"], authorities["E08000003"]
    km = distance_km((leeds.latitude, leeds.longitude),
                     (manchester.latitude, manchester.longitude))
    assert 45 < km < 65
