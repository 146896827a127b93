"""Finding the same person recorded twice, with Splink on DuckDB (or on Spark, the same
settings, when the analytics engine is Spark: core/engines.py).

One model per kind of record: "person" finds one person recorded twice in one list;
"person_link" links people across two lists (each record's `source` names its list), as the
outcome evaluation does to find a cohort in a police extract (decision 0044). Each compares
forenames, surname, date of birth, postcode (and for "person", phone) level by level (exact, swapped, one typo, ...), and the levels'
weights are fixed priors written below rather than trained, so the same records always give
the same pairs and probabilities, however few there are (decision 27). Names that agree
exactly are weighted by how rare the name is in the records given (term frequencies).

Only pairs sharing a blocking key are compared, so 100,000 records stay tractable: a key
held by more than `MAX_BLOCK` records (a very common date of birth or a shared office phone)
is not used to pair them, which bounds the work whatever the data.
"""

import dataclasses
import io
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

DEFAULT_THRESHOLD = 0.8
MAX_BLOCK = 60  # records sharing one blocking key; beyond this the key is not used
DUPLICATE_SHARE = 0.1  # the share of records assumed to have a twin, for the prior


@dataclass(frozen=True)
class Pair:
    """Two records that are probably the same person; `left` < `right`."""

    left: str
    right: str
    probability: float
    comparisons: dict = field(default_factory=dict, hash=False)


def _level(label, sql, m, u, tf=None):
    level = {"sql_condition": sql, "label_for_charts": label, "m_probability": m,
             "u_probability": u}
    if tf:
        level |= {"tf_adjustment_column": tf, "tf_adjustment_weight": 1.0}
    return level


def _comparison(column, levels):
    # Unquoted names: to Spark a double-quoted name is a string, never NULL.
    null = {"sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL",
            "label_for_charts": "missing", "is_null_level": True}
    return {"output_column_name": column, "comparison_description": column,
            "comparison_levels": [null, *levels]}


def _else(m, u):
    return _level("different", "ELSE", m, u)


# The m probabilities say how often a true duplicate falls in each level, the u probabilities
# how often two different people do. They are set from how records go wrong in practice
# (a typo in one field in six, a move or a new phone in three) and checked on bench/synthetic_people.py.
# Forenames and surname the wrong way round, allowing a typo in each.
SWAPPED = ("jaro_winkler_similarity(forenames_l, surname_r) >= 0.92 "
           "AND jaro_winkler_similarity(surname_l, forenames_r) >= 0.92")

PERSON_COMPARISONS = [
    _comparison("forenames", [
        _level("exact", "forenames_l = forenames_r", 0.70, 0.01, tf="forenames"),
        _level("swapped with surname", SWAPPED, 0.08, 0.0002),
        _level("first forename matches",
               "first_forename_l = first_forename_r "
               "AND (forenames_l = first_forename_l OR forenames_r = first_forename_r)",
               0.06, 0.002),
        _level("very similar", "jaro_winkler_similarity(forenames_l, forenames_r) >= 0.92",
               0.08, 0.004),
        _level("similar", "jaro_winkler_similarity(forenames_l, forenames_r) >= 0.8",
               0.03, 0.04),
        _else(0.02, 0.9518),
    ]),
    _comparison("surname", [
        _level("exact", "surname_l = surname_r", 0.74, 0.005, tf="surname"),
        _level("swapped with forenames", SWAPPED, 0.08, 0.0002),
        _level("very similar", "jaro_winkler_similarity(surname_l, surname_r) >= 0.92",
               0.10, 0.003),
        _level("similar", "jaro_winkler_similarity(surname_l, surname_r) >= 0.8", 0.04, 0.035),
        _else(0.06, 0.9565),
    ]),
    _comparison("date_of_birth", [
        _level("exact", "date_of_birth_l = date_of_birth_r", 0.73, 0.0002),
        _level("day and month swapped",
               "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4) "
               "AND substr(date_of_birth_l, 6, 2) = substr(date_of_birth_r, 9, 2) "
               "AND substr(date_of_birth_l, 9, 2) = substr(date_of_birth_r, 6, 2)", 0.10, 0.0001),
        _level("one digit different",
               "damerau_levenshtein(date_of_birth_l, date_of_birth_r) <= 1", 0.15, 0.002),
        _level("two digits different",
               "damerau_levenshtein(date_of_birth_l, date_of_birth_r) <= 2", 0.01, 0.01),
        _else(0.01, 0.9877),
    ]),
    _comparison("postcode", [
        _level("exact", "postcode_l = postcode_r", 0.55, 0.002),
        _level("same sector", "postcode_sector_l = postcode_sector_r", 0.03, 0.008),
        _level("same district", "postcode_district_l = postcode_district_r", 0.07, 0.05),
        _else(0.35, 0.94),
    ]),
    _comparison("phone", [
        _level("exact", "phone_l = phone_r", 0.50, 0.0002),
        _level("one digit different", "damerau_levenshtein(phone_l, phone_r) <= 1", 0.05, 0.0005),
        _else(0.45, 0.9993),
    ]),
]

# Blocking keys: pairs are compared when they share any one of these. The name key sorts
# forenames and surname so that a swapped name shares it.
PERSON_BLOCKS = ["block_dob", "block_name", "block_postcode", "block_phone",
                 "block_surname_year", "block_forename_surname_initial"]

# Linking two lists of people (a cohort to a police extract): each record says which list it
# comes from in `source`, and only pairs from different lists are compared. Date of birth is
# the strong field: a police record and a referral rarely disagree on it, so the levels below
# exact are weighted low, and blocking is on it and on surname with postcode or year of birth.
# Forenames may be given in another order ("Jay Lee" for "Lee Jay").
LINK_FORENAMES_REORDERED = "sorted_forenames_l = sorted_forenames_r"
# Forenames and surname the wrong way round when one side has several forenames ("Green,
# Michael" for "Michael Zara Green"): each side's surname is among the other's forenames; or
# with a typo or a short form as well ("Taylor, Chris" for "Christopher Taylor"): each
# surname is like the other's first forename, one of them allowing a short form.
_LIKE = "jaro_winkler_similarity({a}, {b}) >= 0.88"
_LIKE_OR_SHORT = ("(jaro_winkler_similarity({a}, {b}) >= 0.88 "
                  "OR starts_with({a}, {b}) OR starts_with({b}, {a}))")
LINK_SWAPPED = (
    f"({SWAPPED}) OR (list_has_any(string_split(surname_l, ' '), "
    "string_split(forenames_r, ' ')) AND list_has_any(string_split(surname_r, ' '), "
    "string_split(forenames_l, ' '))) "
    f"OR ({_LIKE.format(a='surname_l', b='first_forename_r')} "
    f"AND {_LIKE_OR_SHORT.format(a='surname_r', b='first_forename_l')}) "
    f"OR ({_LIKE.format(a='surname_r', b='first_forename_l')} "
    f"AND {_LIKE_OR_SHORT.format(a='surname_l', b='first_forename_r')})")
# A short form ("Sam" for "Samantha", "Matt" for "Matthew", "Kate" for "Katherine"): one first
# forename begins the other, or both begin with the same three letters.
LINK_SHORT_FORM = ("starts_with(first_forename_l, first_forename_r) "
                   "OR starts_with(first_forename_r, first_forename_l) "
                   "OR (length(first_forename_l) >= 3 AND length(first_forename_r) >= 3 "
                   "AND substr(first_forename_l, 1, 3) = substr(first_forename_r, 1, 3))")
LINK_COMPARISONS = [
    _comparison("forenames", [
        _level("exact", "forenames_l = forenames_r", 0.70, 0.01, tf="forenames"),
        _level("in another order", LINK_FORENAMES_REORDERED, 0.04, 0.0002),
        _level("swapped with surname", LINK_SWAPPED, 0.05, 0.0002),
        _level("first forename matches",
               "first_forename_l = first_forename_r "
               "AND (forenames_l = first_forename_l OR forenames_r = first_forename_r)",
               0.05, 0.002),
        _level("very similar", "jaro_winkler_similarity(forenames_l, forenames_r) >= 0.9",
               0.08, 0.004),
        _level("a short form", LINK_SHORT_FORM, 0.03, 0.008),
        _level("similar", "jaro_winkler_similarity(forenames_l, forenames_r) >= 0.8",
               0.02, 0.04),
        _else(0.03, 0.9358),
    ]),
    _comparison("surname", [
        _level("exact", "surname_l = surname_r", 0.76, 0.005, tf="surname"),
        _level("swapped with forenames", LINK_SWAPPED, 0.05, 0.0002),
        _level("very similar", "jaro_winkler_similarity(surname_l, surname_r) >= 0.9",
               0.10, 0.003),
        _level("similar", "jaro_winkler_similarity(surname_l, surname_r) >= 0.8", 0.04, 0.035),
        _else(0.05, 0.9568),
    ]),
    _comparison("date_of_birth", [
        _level("exact", "date_of_birth_l = date_of_birth_r", 0.94, 0.0003),
        _level("day and month swapped",
               "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4) "
               "AND substr(date_of_birth_l, 6, 2) = substr(date_of_birth_r, 9, 2) "
               "AND substr(date_of_birth_l, 9, 2) = substr(date_of_birth_r, 6, 2)", 0.02, 0.0001),
        _level("one digit different",
               "damerau_levenshtein(date_of_birth_l, date_of_birth_r) <= 1", 0.03, 0.003),
        _else(0.01, 0.9966),
    ]),
    _comparison("postcode", [
        _level("exact", "postcode_l = postcode_r", 0.55, 0.002),
        _level("same sector", "postcode_sector_l = postcode_sector_r", 0.05, 0.008),
        _level("same district", "postcode_district_l = postcode_district_r", 0.10, 0.05),
        _else(0.30, 0.94),
    ]),
]
LINK_BLOCKS = ["block_dob", "block_name", "block_surname_postcode", "block_surname_year",
               "block_forename_surname_initial", "block_postcode_year"]

KINDS = {"person": (PERSON_COMPARISONS, PERSON_BLOCKS),
         "person_link": (LINK_COMPARISONS, LINK_BLOCKS)}
# Kinds that link two lists: the field naming each record's list, and the share of the
# smaller list expected to be found in the other (for the prior).
ACROSS = {"person_link": ("source", 0.75)}


def _name(value):
    if not value:
        return None
    text = re.sub(r"[^a-z\s-]", "", str(value).lower()).replace("-", " ")
    return " ".join(text.split()) or None


def _date(value):
    if isinstance(value, date):
        return value.isoformat()
    if not value:
        return None
    text = str(value).strip()
    uk = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if uk:  # a UK date, day first, as spreadsheets often hold them
            return date(int(uk[3]), int(uk[2]), int(uk[1])).isoformat()
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None  # not a date: compared as missing


def _postcode(value):
    text = re.sub(r"[^A-Z0-9]", "", str(value or "").upper())
    if len(text) < 5:
        return text or None
    return f"{text[:-3]} {text[-3:]}"


def _phone(value):
    digits = re.sub(r"\D", "", str(value or ""))
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return digits or None


def _prepare_person(record: Mapping) -> dict:
    forenames, surname = _name(record.get("forenames")), _name(record.get("surname"))
    dob, postcode = _date(record.get("date_of_birth")), _postcode(record.get("postcode"))
    first = forenames.split(" ")[0] if forenames else None
    return {
        "reference": str(record["reference"]),
        "forenames": forenames, "surname": surname, "first_forename": first,
        "date_of_birth": dob, "postcode": postcode,
        "postcode_sector": postcode[:-2] if postcode and " " in postcode else None,
        "postcode_district": postcode.split(" ")[0] if postcode and " " in postcode else None,
        "phone": _phone(record.get("phone")),
        "block_dob": dob,
        "block_name": " ".join(sorted([forenames, surname])) if forenames and surname else None,
        "block_postcode": postcode,
        "block_phone": _phone(record.get("phone")),
        "block_surname_year": f"{surname} {dob[:4]}" if surname and dob else None,
        "block_forename_surname_initial":
            f"{first} {surname[0]}" if first and surname else None,
    }


def _prepare_link_person(record: Mapping) -> dict:
    row = _prepare_person(record)
    del row["phone"], row["block_phone"]
    forenames, surname, postcode = row["forenames"], row["surname"], row["postcode"]
    row["sorted_forenames"] = " ".join(sorted(forenames.split(" "))) if forenames else None
    row["block_surname_postcode"] = f"{surname} {postcode}" if surname and postcode else None
    # Same home and year of birth: finds a typo in the surname with a changed date of birth.
    dob = row["date_of_birth"]
    row["block_postcode_year"] = f"{postcode} {dob[:4]}" if postcode and dob else None
    row["source"] = str(record.get("source") or "")
    return row


PREPARE = {"person": _prepare_person, "person_link": _prepare_link_person}


def _cap_blocks(rows, blocks):
    """Blank blocking keys shared by more than MAX_BLOCK records."""
    for column in blocks:
        counts = Counter(row[column] for row in rows if row[column] is not None)
        for row in rows:
            if row[column] is not None and counts[row[column]] > MAX_BLOCK:
                row[column] = None


def _settings(kind, rows):
    comparisons, blocks = KINDS[kind]
    n = len(rows)
    # The prior that two records picked at random are one person: about one record in ten
    # has a twin, among n(n-1)/2 possible pairs.
    prior = min(2 * DUPLICATE_SHARE / max(n - 1, 1), 0.5)
    across = ""
    if kind in ACROSS:
        column, share = ACROSS[kind]
        sizes = sorted(Counter(row[column] for row in rows).values())
        left, right = (sizes + [1, 1])[:2] if len(sizes) < 2 else sizes[:2]
        # The smaller list's found share, among all the pairs across the two lists.
        prior = min(share * min(left, right) / max(left * right, 1), 0.5)
        across = f" AND l.{column} <> r.{column}"
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "reference",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": f"l.{b} = r.{b}{across}"} for b in blocks],
        "retain_matching_columns": True,  # keeps the levels (gamma_*)
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
    }


def _labels(linker):
    """Each comparison's level labels by the number Splink gives the level in a pair."""
    return {
        comparison.output_column_name: {
            level.comparison_vector_value: level.label_for_charts
            for level in comparison.comparison_levels}
        for comparison in linker._settings_obj.comparisons}


def find_pairs(kind: str, records: Iterable[Mapping],
               threshold: float = DEFAULT_THRESHOLD, engine: str | None = None) -> list[Pair]:
    """Pairs of records that are probably the same, at or above `threshold`, most likely first.

    Each record needs a unique `reference`; other fields may be missing or empty. `engine`
    is "duckdb" or "spark" (default: the configured analytics engine)."""
    if kind not in KINDS:
        raise ValueError(f"there is no matching model for records of kind '{kind}'")
    # Rows parsed by the bulk import (dataclasses) are taken as they are.
    records = [r if isinstance(r, Mapping) else dataclasses.asdict(r) for r in records]
    if any(record.get("reference") in (None, "") for record in records):
        raise ValueError("every record needs a reference")
    rows = [PREPARE[kind](record) for record in records]
    references = Counter(row["reference"] for row in rows)
    repeated = sorted(ref for ref, count in references.items() if count > 1)
    if repeated:
        raise ValueError(f"references must be unique; repeated: {', '.join(repeated[:10])}")
    if len(rows) < 2:
        return []
    _cap_blocks(rows, KINDS[kind][1])
    from .engines import ENGINES, default_engine

    engine = (engine or default_engine()).strip().lower()
    if engine not in ENGINES:
        raise ValueError(f"unknown analytics engine '{engine}': use one of {', '.join(ENGINES)}")
    if engine == "spark":
        return _predict_spark(kind, rows, threshold)
    return _predict(kind, rows, threshold)


def _predict(kind, rows, threshold):
    import duckdb
    import pyarrow as pa
    from splink import DuckDBAPI, Linker

    connection = duckdb.connect()
    try:
        db_api = DuckDBAPI(connection)
        table = db_api.register(pa.Table.from_pylist(rows), dataset_display_name="records")
        linker = Linker(table, _settings(kind, rows), log_level=logging.ERROR)
        predictions = linker.inference.predict(threshold_match_probability=threshold,
                                               warning_mode="never")
        labels = _labels(linker)
        columns = [f"gamma_{c}" for c in labels]
        result = connection.sql(
            f"SELECT reference_l, reference_r, match_probability, {', '.join(columns)} "
            f"FROM {predictions.physical_name}").fetchall()
    finally:
        connection.close()
    return _pairs(result, labels, threshold)


# DuckDB's functions by their Spark names: the similarity functions as Splink's jar registers
# them (jaro_winkler, damerau_levenshtein), the list functions as Spark's own.
SPARK_FUNCTIONS = {"jaro_winkler_similarity(": "jaro_winkler(",
                   "list_has_any(": "arrays_overlap(", "string_split(": "split(",
                   "starts_with(": "startswith("}


def _for_spark(settings):
    def translate(sql):
        for duck, spark in SPARK_FUNCTIONS.items():
            sql = sql.replace(duck, spark)
        return sql

    comparisons = [{**c, "comparison_levels": [
        {**level, "sql_condition": translate(level["sql_condition"])}
        for level in c["comparison_levels"]]} for c in settings["comparisons"]]
    return {**settings, "comparisons": comparisons}


def _predict_spark(kind, rows, threshold):
    """The same settings on Splink's Spark backend, in the process's Spark session."""
    import pyarrow as pa
    from splink import Linker
    from splink.backends.spark import SparkAPI

    from .engines import spark_session

    spark = spark_session().newSession()
    db_api = SparkAPI(spark_session=spark, break_lineage_method="persist",
                      num_partitions_on_repartition=2)
    try:
        table = db_api.register(pa.Table.from_pylist(rows), dataset_display_name="records")
        linker = Linker(table, _for_spark(_settings(kind, rows)), log_level=logging.ERROR)
        predictions = linker.inference.predict(threshold_match_probability=threshold,
                                               warning_mode="never")
        labels = _labels(linker)
        columns = ["reference_l", "reference_r", "match_probability",
                   *(f"gamma_{c}" for c in labels)]
        result = [tuple(r) for r in predictions.as_spark_dataframe().select(*columns).collect()]
    finally:
        # Splink's tables were cached in this session's views: free them with it.
        for view in spark.catalog.listTables():
            if view.isTemporary:
                spark.catalog.uncacheTable(view.name)
                spark.catalog.dropTempView(view.name)
    return _pairs(result, labels, threshold)


def _pairs(result, labels, threshold):
    pairs = []
    for left, right, probability, *levels in result:
        if probability < threshold:
            continue
        left, right = sorted([left, right])
        pairs.append(Pair(left, right, round(float(probability), 6), {
            name: by_level[level]
            for (name, by_level), level in zip(labels.items(), levels, strict=True)}))
    pairs.sort(key=lambda p: (-p.probability, p.left, p.right))
    return pairs


PAIR_COLUMNS = ["reference_left", "reference_right", "probability", "comparisons"]


def pair_as_dict(pair: Pair) -> dict:
    """A pair as JSON-ready data."""
    return {"reference_left": pair.left, "reference_right": pair.right,
            "probability": pair.probability, "comparisons": dict(pair.comparisons)}


def pairs_as_rows(pairs: Iterable[Pair]) -> list[list]:
    """Header and rows for a CSV of pairs; comparisons read "field: level; ..."."""
    rows = [PAIR_COLUMNS]
    for pair in pairs:
        said = "; ".join(f"{name}: {level}" for name, level in pair.comparisons.items())
        rows.append([pair.left, pair.right, pair.probability, said])
    return rows


def write_pairs_csv(pairs: Iterable[Pair], stream) -> None:
    """Write the pairs as CSV to a text stream (a file, or an HTTP response), safe to open in
    a spreadsheet."""
    from .spreadsheet import writer

    writer(stream).writerows(pairs_as_rows(pairs))


def pairs_csv(pairs: Iterable[Pair]) -> str:
    """The pairs as CSV text."""
    stream = io.StringIO()
    write_pairs_csv(pairs, stream)
    return stream.getvalue()
