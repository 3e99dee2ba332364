"""Date, time and duration literals keep what the data wrote: rdflib rewrote them as Python prints their values,
losing digits past the microsecond and a date's time zone, in ``kgraph dump``, query answers and the CSV exports."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from conftest import PREFIXES, both_ways
from kgraph import validation
from kgraph.cli import cli

#: What each entity's kg:when holds, as the data writes it, and as Oxigraph (a store) writes it.
WRITTEN = {
    "a": ('"2025-12-02T10:30:00.123456789-05:00"^^xsd:dateTime', "2025-12-02T10:30:00.123456789-05:00"),
    "b": ('"2025-12-02T10:30:00Z"^^xsd:dateTime', "2025-12-02T10:30:00Z"),
    "c": ('"2025-12-02T10:30:00.5"^^xsd:dateTime', "2025-12-02T10:30:00.5"),
    "d": ('"2025-12-02+01:00"^^xsd:date', "2025-12-02+01:00"),
    "e": ('"10:30:00.1234567Z"^^xsd:time', "10:30:00.1234567Z"),
    "f": ('"PT1.123456789S"^^xsd:duration', "PT1.123456789S"),
    "g": ('"PT0S"^^xsd:duration', "PT0S"),
    "h": ('"2025Z"^^xsd:gYear', "2025Z"),
}
#: Forms Oxigraph rewrites (no digit lost): kept in memory, and each CSV file writes the canonical form.
REWRITTEN = {
    "p": ('"2025-12-02T10:30:00+00:00"^^xsd:dateTime', "2025-12-02T10:30:00Z"),
    "q": ('"2025-12-02T10:30:00.000"^^xsd:dateTime', "2025-12-02T10:30:00"),
    "r": ('"10:30:00.500-00:00"^^xsd:time', "10:30:00.5Z"),
    "s": ('"PT90M"^^xsd:duration', "PT1H30M"),
    "t": ('"P1DT0H0.50S"^^xsd:duration', "P1DT0.5S"),
    "u": ('"P0D"^^xsd:duration', "PT0S"),
    "v": ('"P14M"^^xsd:yearMonthDuration', "P1Y2M"),
    "w": ('"P0Y"^^xsd:yearMonthDuration', "P0M"),
    "x": ('"2025-12-31T24:00:00Z"^^xsd:dateTime', "2026-01-01T00:00:00Z"),  # the end of a day: the next midnight
    "y": ('"24:00:00.000"^^xsd:time', "00:00:00"),
}
SELECT = "SELECT ?e ?when WHERE { ?e kg:when ?when } ORDER BY ?e"


def _lexical(term: str) -> str:
    return term.split('"')[1]


@pytest.fixture
def folders(make_kg, tmp_path) -> tuple[list[str], list[str]]:
    """``--data``/``--ontology`` options of a graph with every literal above, and ``--store`` of a store of it."""
    entities = " ".join(
        f"kgr:{name} a kg:Company ; kg:when {term} ." for name, (term, _) in {**WRITTEN, **REWRITTEN}.items()
    )
    data, ontology = make_kg({"d.trig": PREFIXES + "src:x { " + entities + " }"})
    memory = ["--data", str(data), "--ontology", str(ontology)]
    store = ["--store", str(tmp_path / "store")]
    _run(*memory, "load", *store)
    return memory, store


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _answers(options: list[str]) -> dict[str, str]:
    rows = list(csv.reader(_run(*options, "query", SELECT, "--format", "csv").splitlines()))[1:]
    return {entity.rsplit("/", 1)[-1]: when for entity, when in rows}


def test_dump_keeps_every_digit_and_time_zone(folders):
    memory, store = folders
    for options in (memory, store):
        dumped = _run(*options, "dump")
        for name, (_term, canonical) in WRITTEN.items():
            assert f'resource/{name}> <https://w3id.org/kgraph/ontology#when> "{canonical}"^^' in dumped
    dumped = _run(*memory, "dump")
    for name, (term, _canonical) in REWRITTEN.items():
        assert f'resource/{name}> <https://w3id.org/kgraph/ontology#when> "{_lexical(term)}"^^' in dumped


def test_query_answers_are_as_written_in_memory_and_canonical_on_a_store(folders):
    """A canonical form reads the same in memory and on a store; another is kept in memory as written (like
    ``1.50``), and Oxigraph writes it canonically."""
    memory, store = folders
    in_memory, on_store = _answers(memory), _answers(store)
    for name, (_term, canonical) in WRITTEN.items():
        assert in_memory[name] == on_store[name] == canonical
    for name, (term, canonical) in REWRITTEN.items():
        assert (in_memory[name], on_store[name]) == (_lexical(term), canonical)


def test_a_filter_and_order_by_on_written_dates_compare_values(folders):
    memory, store = folders
    query = (
        'SELECT ?e WHERE { ?e kg:when ?when FILTER(datatype(?when) = xsd:dateTime && ?when >= "2025-12-02T10:30:00Z"'
        "^^xsd:dateTime) } ORDER BY ?when ?e"
    )
    for options in (memory, store):
        rows = _run(*options, "query", query, "--format", "csv").split()[1:]
        # q and c have no time zone: they do not compare with one
        assert [row.rsplit("/", 1)[-1] for row in rows] == ["b", "p", "a", "x"]


@pytest.mark.parametrize("flavor", ["neo4j", "neptune"])
def test_the_csv_files_are_canonical_the_same_from_memory_and_a_store(folders, tmp_path, flavor):
    memory, store = folders
    for name, options in (("memory", memory), ("store", store)):
        _run(*options, "export", "neo4j", "--flavor", flavor, "--out", str(tmp_path / f"{name}-csv"))
    files = sorted(path.name for path in (tmp_path / "memory-csv").iterdir())
    for file in files:
        assert (tmp_path / "memory-csv" / file).read_bytes() == (tmp_path / "store-csv" / file).read_bytes(), file
    nodes = (tmp_path / "memory-csv" / "nodes_Entity.csv").read_text(encoding="utf-8")
    for _term, canonical in (*WRITTEN.values(), *REWRITTEN.values()):
        assert canonical in nodes


#: Forms Python's parsers read as dates, times and durations but XSD does not write them: a store holds each
#: ill-typed, and in memory it is ill-typed too (kept as written, it would otherwise go to the exports as a date).
NOT_XSD = {
    "week": ('"2025-W49"^^xsd:date', "xsd:date"),
    "minutes": ('"2025-12-02T10:30"^^xsd:dateTime', "xsd:dateTime"),
    "basic": ('"20251202"^^xsd:date', "xsd:date"),
    "weeks": ('"P1W"^^xsd:duration', "xsd:duration"),
    "comma": ('"PT1,5S"^^xsd:duration', "xsd:duration"),
    "days": ('"P1D"^^xsd:yearMonthDuration', "xsd:yearMonthDuration"),
    "years": ('"P1Y"^^xsd:dayTimeDuration', "xsd:dayTimeDuration"),
}


def test_a_form_python_reads_but_xsd_does_not_is_ill_typed_in_memory_as_on_a_store(make_kg, tmp_path):
    entities = " ".join(f"kgr:{name} a kg:Company ; kg:when {term} ." for name, (term, _) in NOT_XSD.items())
    entities += ' kgr:good a kg:Company ; kg:when "2025-12-01"^^xsd:date, "P7D"^^xsd:duration .'
    data, ontology = make_kg({"d.trig": PREFIXES + "src:x { " + entities + " }"})
    memory = ["--data", str(data), "--ontology", str(ontology)]
    store = ["--store", str(tmp_path / "store")]
    result = CliRunner().invoke(cli, [*memory, "load", *store])
    assert result.exit_code == 0, result.output
    for term, name in NOT_XSD.values():
        assert f'"{_lexical(term)}" is not a valid {name}; it is kept as written' in result.stderr
    # Only a value compares: comparing an ill-typed literal is an error, which FILTER drops.
    below = " || ".join(
        f'?when < "{bound}"^^xsd:{name}'
        for name, bound in (("date", "9999-12-31"), ("dateTime", "9999-12-31T00:00:00"), ("duration", "P999Y"))
    )
    query = f'SELECT ?when WHERE {{ ?e kg:when ?when FILTER({below} || ?when < "P999D"^^xsd:dayTimeDuration) }}'
    for options in (memory, store):
        assert sorted(_run(*options, "query", query, "--format", "csv").split()[1:]) == ["2025-12-01", "P7D"]
        assert {_lexical(term) for term, _ in NOT_XSD.values()} <= set(_run(*options, "query", SELECT).split())


def test_the_hour_24_is_the_next_midnight_in_memory_as_on_a_store(make_kg, tmp_path):
    """XSD 1.1 writes the end of a day as 24:00:00, the value of the next day's midnight; Python's parsers refused
    the hour, so in memory such a literal was ill-typed (a warning that it was not a valid xsd:dateTime, no
    arithmetic, no ``DAY``), where a store reads it."""
    data, ontology = make_kg(
        {
            "d.trig": PREFIXES
            + 'src:x { kgr:end a kg:Company ; kg:when "2025-12-31T24:00:00Z"^^xsd:dateTime , "24:00:00"^^xsd:time . }'
        }
    )
    memory = ["--data", str(data), "--ontology", str(ontology)]
    store = ["--store", str(tmp_path / "store")]
    result = CliRunner().invoke(cli, [*memory, "load", *store])
    assert result.exit_code == 0, result.output
    assert "not a valid" not in result.stderr
    query = (
        "SELECT ?day ?hours ?since ?same WHERE { kgr:end kg:when ?end , ?time FILTER(datatype(?time) = xsd:time) "
        'BIND(DAY(?end) AS ?day) BIND(HOURS(?time) AS ?hours) BIND(?end - "2025-12-31T12:00:00Z"^^xsd:dateTime AS '
        '?since) BIND(?end = "2026-01-01T00:00:00Z"^^xsd:dateTime && ?time = "00:00:00"^^xsd:time AS ?same) '
        "FILTER(datatype(?end) = xsd:dateTime) }"
    )
    for options in (memory, store):
        result = CliRunner().invoke(cli, [*options, "query", query, "--format", "csv"])
        assert result.exit_code == 0, result.output
        assert "not a valid" not in result.stderr
        assert result.stdout.splitlines()[1] == "1,0,PT12H,true"


def test_a_valid_year_python_does_not_hold_is_said_to_be_valid_and_compares(make_kg, tmp_path):
    """A year before 1 or after 9999 is valid XSD, which Python's dates do not hold: the load said such a literal
    was no valid xsd:date and that comparisons on it failed, though it compares and computes (in memory from its
    text). It now says what holds, in memory and on a store alike; a day off the calendar, and a duration longer
    than Python holds, are told apart."""
    data, ontology = make_kg(
        {
            "d.trig": PREFIXES
            + 'src:x { kgr:far a kg:Company ; kg:when "10000-01-01T00:00:00Z"^^xsd:dateTime , "-0044-03-15"^^xsd:date'
            + ' , "10000-02-30"^^xsd:date , "PT24000000000H"^^xsd:duration . }'
        }
    )
    memory = ["--data", str(data), "--ontology", str(ontology)]
    store = ["--store", str(tmp_path / "store")]
    result = CliRunner().invoke(cli, [*memory, "load", *store])
    assert result.exit_code == 0, result.output
    warned = sorted(line.split(": ", 2)[2] for line in result.stderr.splitlines() if "xsd:d" in line)
    year = "with a year Python does not hold (only 1 to 9999): it is kept as written, compares and computes, but"
    assert warned == [
        f'"-0044-03-15" is a valid xsd:date, {year} validate takes it for ill-typed',
        f'"10000-01-01T00:00:00Z" is a valid xsd:dateTime, {year} validate takes it for ill-typed',
        '"10000-02-30" is not a valid xsd:date; it is kept as written, and comparisons and arithmetic on it fail',
        '"PT24000000000H" is a valid xsd:duration, longer than Python holds (999,999,999 days): it is kept as written, '
        "compares and computes, but validate takes it for ill-typed",
    ]
    result = CliRunner().invoke(cli, [*memory, "stats"])
    assert sorted(line.split(": ", 2)[2] for line in result.stderr.splitlines() if "xsd:d" in line) == warned
    query = (
        'SELECT ?when WHERE { kgr:far kg:when ?when FILTER(?when > "2025-01-01T00:00:00Z"^^xsd:dateTime || '
        '?when < "2025-01-01"^^xsd:date) } ORDER BY ?when'
    )
    for options in (memory, store):
        assert _run(*options, "query", query, "--format", "csv").split()[1:] == [
            "-0044-03-15",
            "10000-01-01T00:00:00Z",
        ]
    since = (
        "SELECT ?since ?later WHERE { kgr:far kg:when ?when FILTER(datatype(?when) = xsd:dateTime) BIND(?when - "
        '"2025-01-01T00:00:00Z"^^xsd:dateTime AS ?since) BIND(?when + "P1D"^^xsd:dayTimeDuration AS ?later) }'
    )
    for options in (memory, store):
        assert _run(*options, "query", since, "--format", "csv").split()[1:] == ["P2912808D,10000-01-02T00:00:00Z"]


def test_a_store_is_validated_on_its_own_terms_not_from_the_in_memory_outcome(make_kg, tmp_path):
    """Two spellings of one instant are two values in memory and one on a store (Oxigraph keeps it by value): a
    ``sh:maxCount 1`` fails in memory only. The cached outcome of one is not the other's, whichever came first."""
    data, ontology = make_kg(
        {
            "d.trig": PREFIXES + 'src:x { kgr:a a kg:Company ; kg:when "2025-12-02T10:30:00Z"^^xsd:dateTime, '
            '"2025-12-02T10:30:00+00:00"^^xsd:dateTime . }'
        }
    )
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        PREFIXES + "[] a sh:NodeShape ; sh:targetClass kg:Company ; sh:property [ sh:path kg:when ; sh:maxCount 1 ] .",
        encoding="utf-8",
    )
    in_memory, on_store = both_ways(data, ontology, tmp_path / "store")
    for first in (in_memory, on_store):
        validation.validate(first, shapes)  # now in the cache
        memory, store = validation.validate(in_memory, shapes), validation.validate(on_store, shapes)
        assert [(result.path, result.constraint) for result in memory.results] == [("kg:when", "sh:maxCount 1")]
        assert (memory.conforms, store.conforms, store.results) == (False, True, ())
        shapes.write_text(shapes.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a new cache entry


#: A duration's seconds may be written ``.5`` or ``5.`` (XSD 1.1 Part 2, 3.3.6.2: duSecondFrag is an
#: unsignedNoDecimalPtNumeral or an unsignedDecimalPtNumeral, which has digits on at least one side of the point):
#: valid in memory as on a store, whose canonical form is on the right.
XSD_SECONDS = {
    "lead": ('"PT.5S"^^xsd:duration', "PT0.5S"),
    "trail": ('"PT5.S"^^xsd:duration', "PT5S"),
    "after_day": ('"P1DT.25S"^^xsd:dayTimeDuration', "P1DT0.25S"),
    "after_hour": ('"-PT1H.5S"^^xsd:duration', "-PT1H0.5S"),
}
#: Forms XSD does not allow, ill-typed in memory: a point with no digit, or one in the seconds of a time (secondFrag
#: is two digits, then a point and at least one digit), and a ``T`` with nothing after it.
NOT_XSD_SECONDS = {
    "point": ('"PT.S"^^xsd:duration', "xsd:duration"),
    "untimed": ('"P.5S"^^xsd:duration', "xsd:duration"),
    "clock": ('"2025-12-02T10:30:00.Z"^^xsd:dateTime', "xsd:dateTime"),
    "clock_time": ('"10:30:00."^^xsd:time', "xsd:time"),
    "bare_t": ('"P1DT"^^xsd:duration', "xsd:duration"),
}


def test_a_duration_s_seconds_with_a_point_at_one_end_are_valid_in_memory_as_on_a_store(make_kg, tmp_path):
    forms = {**XSD_SECONDS, **NOT_XSD_SECONDS}
    entities = " ".join(f"kgr:{name} a kg:Company ; kg:when {term} ." for name, (term, _) in forms.items())
    entities += (
        ' kgr:zero a kg:Company ; kg:when "PT0S"^^xsd:duration . kgr:one a kg:Company ; kg:when "PT1S"^^xsd:duration .'
    )
    data, ontology = make_kg({"d.trig": PREFIXES + "src:x { " + entities + " }"})
    memory = ["--data", str(data), "--ontology", str(ontology)]
    store = ["--store", str(tmp_path / "store")]
    result = CliRunner().invoke(cli, [*memory, "load", *store])
    assert result.exit_code == 0, result.output
    for term, _canonical in XSD_SECONDS.values():
        assert f'"{_lexical(term)}" is not a valid' not in result.stderr
    for term, name in NOT_XSD_SECONDS.values():
        assert f'"{_lexical(term)}" is not a valid {name}; it is kept as written' in result.stderr
    durations = (
        'SELECT ?e WHERE { ?e kg:when ?when FILTER(?when >= "-PT2H"^^xsd:duration && ?when < "P2D"^^xsd:duration) }'
        " ORDER BY ?when"
    )
    found = {}
    for name, options in (("memory", memory), ("store", store)):
        found[name] = [
            row.rsplit("/", 1)[-1] for row in _run(*options, "query", durations, "--format", "csv").split()[1:]
        ]
    assert found["memory"] == ["after_hour", "zero", "lead", "one", "trail", "after_day"]
    # Oxigraph also reads "P1DT" (a T with nothing after it, which XSD forbids) as one day: README says so.
    assert found["store"] == ["after_hour", "zero", "lead", "one", "trail", "bare_t", "after_day"]
    in_memory, on_store = _answers(memory), _answers(store)
    for name, (term, canonical) in XSD_SECONDS.items():
        assert (in_memory[name], on_store[name]) == (_lexical(term), canonical)


#: The Gregorian parts of a date, which rdflib held as text it could not compare, where a store compares them.
GREGORIAN = {
    "y2019": '"2019"^^xsd:gYear',
    "y2021": '"2021"^^xsd:gYear',
    "y12025": '"12025"^^xsd:gYear',
    "y44bc": '"-0044"^^xsd:gYear',
    "y2020utc": '"2020Z"^^xsd:gYear',
    "yabc": '"abc"^^xsd:gYear',
    "may": '"2020-05"^^xsd:gYearMonth',
    "november": '"2020-11"^^xsd:gYearMonth',
    "february": '"--02-28"^^xsd:gMonthDay',
    "autumn": '"--11-01"^^xsd:gMonthDay',
    "second": '"---02"^^xsd:gDay',
    "month": '"--11"^^xsd:gMonth',
}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        # "2020Z" is within 14 hours of "2020" (no time zone: anywhere from -14:00 to +14:00), so neither is first
        ('?when > "2020"^^xsd:gYear', ["y12025", "y2021"]),
        ('?when <= "2019Z"^^xsd:gYear', ["y44bc"]),  # "2019" neither, as above
        ('?when < "2020-06"^^xsd:gYearMonth', ["may"]),
        ('?when >= "--03-01"^^xsd:gMonthDay', ["autumn"]),
        ('?when < "---10"^^xsd:gDay || ?when > "--10"^^xsd:gMonth', ["month", "second"]),
        ('?when < "2025-01-01"^^xsd:date || ?when < 2025', []),  # another kind: no order
    ],
)
def test_a_gregorian_part_of_a_date_compares_in_memory_as_on_a_store(make_kg, tmp_path, condition, expected):
    memory, store = _filtered(make_kg, tmp_path, GREGORIAN, condition)
    assert memory == store == expected


def _filtered(make_kg, tmp_path, terms: dict[str, str], condition: str) -> tuple[list[str], list[str]]:
    """The entities, each with ``kg:when`` one of ``terms`` (by its name), that ``FILTER(condition)`` keeps, by
    name, in memory and on a store."""
    entities = " ".join(f"kgr:{name} a kg:Company ; kg:when {term} ." for name, term in terms.items())
    data, ontology = make_kg({"d.trig": PREFIXES + "src:x { " + entities + " }"})
    memory = ["--data", str(data), "--ontology", str(ontology)]
    store = ["--store", str(tmp_path / "store")]
    _run(*memory, "load", *store)
    query = f"SELECT ?e WHERE {{ ?e kg:when ?when FILTER({condition}) }} ORDER BY ?e"
    answers = [_run(*options, "query", query, "--format", "csv").split()[1:] for options in (memory, store)]
    in_memory, on_store = ([iri.rsplit("/", 1)[-1] for iri in answer] for answer in answers)
    return in_memory, on_store


def test_gregorian_parts_of_a_date_sort_by_value_in_memory_as_on_a_store(make_kg, tmp_path):
    """By text, "12025" came before "2019" and "-0044" first only by its sign."""
    years = ["2019", "12025", "-0044", "0999", "2021Z", "abc"]
    entities = " ".join(f'kgr:e{i} a kg:Company ; kg:when "{year}"^^xsd:gYear .' for i, year in enumerate(years))
    data, ontology = make_kg({"d.trig": PREFIXES + "src:x { " + entities + " }"})
    memory = ["--data", str(data), "--ontology", str(ontology)]
    store = ["--store", str(tmp_path / "store")]
    _run(*memory, "load", *store)
    for order, expected in (("?when", ["-0044", "0999", "2019", "2021Z", "12025", "abc"]),):
        query = f"SELECT ?when WHERE {{ ?e kg:when ?when }} ORDER BY {order}"
        for options in (memory, store):
            assert _run(*options, "query", query, "--format", "csv").split()[1:] == expected, options


#: Date-times and times with and without a time zone, one of them past the microsecond Python holds.
INSTANTS = {
    "local": '"2019-01-01T00:00:00"^^xsd:dateTime',
    "morning": '"2019-01-01T05:00:00Z"^^xsd:dateTime',
    "tick": '"2019-01-01T00:00:00.0000001Z"^^xsd:dateTime',
    "later": '"2021-01-01T00:00:00Z"^^xsd:dateTime',
    "ten": '"10:00:00"^^xsd:time',
    "night": '"23:30:00Z"^^xsd:time',
}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        # "local" may be anywhere from 14 hours before to 14 hours after midnight UTC: no order with 10:00Z
        ('?when < "2019-01-01T10:00:00Z"^^xsd:dateTime', ["morning", "tick"]),
        # "tick" is a ten-millionth of a second after midnight: Python's datetime held it as midnight
        ('?when > "2019-01-01T00:00:00Z"^^xsd:dateTime', ["later", "morning", "tick"]),
        # more than 14 hours before a time without a zone: before it, wherever that is
        ('?when < "2019-01-02T00:00:00"^^xsd:dateTime', ["local", "morning", "tick"]),
        ('?when > "09:00:00"^^xsd:time', ["night", "ten"]),
    ],
)
def test_a_date_time_compares_every_digit_and_time_zone_in_memory_as_on_a_store(make_kg, tmp_path, condition, expected):
    memory, store = _filtered(make_kg, tmp_path, INSTANTS, condition)
    assert memory == store == expected
