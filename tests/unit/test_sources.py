import pytest

from cradle.geography.build.sources import SourceError, read_la_population, read_msoa_population

CHILD_COLUMNS = ",".join(str(age) for age in range(18))
OLDER = ",".join(["10"] * 15)  # ages 3 to 17


def test_la_population_parses_thousands_separators(tmp_path):
    path = tmp_path / "mye.csv"
    path.write_text(f'Code,Name,Geography,All ages,{CHILD_COLUMNS}\n'
                    f'E06000001,Hartlepool,Unitary Authority,"93,663","1,001",999,"1,050",'
                    f'{OLDER}\n')
    table = read_la_population(path, "utf-8")
    assert table["E06000001"]["ages"] == {0: 1001, 1: 999, 2: 1050, "0-17": 3050 + 150}


def test_la_population_names_the_bad_cell(tmp_path):
    path = tmp_path / "mye.csv"
    path.write_text(f"Code,Name,Geography,All ages,{CHILD_COLUMNS}\n"
                    f"E06000001,Hartlepool,Unitary Authority,93663,12,x,3,{OLDER}\n")
    with pytest.raises(SourceError, match=r"mye.csv, row 2, column '1': 'x' is not"):
        read_la_population(path, "utf-8")


def test_msoa_population_requires_every_child_age(tmp_path):
    path = tmp_path / "msoa.csv"
    path.write_text("MSOA Code,0,1\nE02000001,1,2\n")
    with pytest.raises(SourceError, match=r"msoa.csv, row 1: missing columns \['2', '3',"):
        read_msoa_population(path)
