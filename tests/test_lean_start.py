"""Does grading check nbgrader's metadata schema once, and validate exactly as before?
Does it keep one gradebook engine per database, with the tables nbgrader needs?

``graders.lean_start`` gives nbgrader's metadata module a ``jsonschema.validate`` that
keeps each schema's checked validator; these tests hold it to jsonschema's own. It gives
nbgrader's gradebook module a ``create_engine`` that reuses engines and a table check
that lists the tables once.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from unittest import mock

import jsonschema
import pytest
import sqlalchemy
from jsonschema.validators import validator_for
from nbformat.v4 import new_code_cell
from nbgrader.api import Gradebook
from nbgrader.nbgraderformat import MetadataValidator, ValidationError, common

from graders import lean_start

GOOD = {"schema_version": 3, "grade": True, "locked": False, "solution": False,
        "grade_id": "test_sigmoid", "points": 2}
# Each breaks one rule of nbgrader's v3.json.
BAD = {
    "grade is not a boolean": {**GOOD, "grade": "yes"},
    "grade_id with a space": {**GOOD, "grade_id": "test sigmoid"},
    "negative points": {**GOOD, "points": -1},
    "no locked": {key: value for key, value in GOOD.items() if key != "locked"},
    "unknown cell_type": {**GOOD, "cell_type": "widget"},
    "short checksum": {**GOOD, "checksum": "abc"},
}


def cell_with(metadata: dict):
    return new_code_cell("x = 1", metadata={"nbgrader": dict(metadata)})


def test_grading_processes_use_it():
    """Does importing the grading command give nbgrader's metadata module the cached validate?"""
    import graders.grade  # noqa: F401

    assert common.jsonschema is lean_start.JSONSCHEMA_FOR_NBGRADER
    assert common.jsonschema.validate is lean_start.validate
    assert common.jsonschema.ValidationError is jsonschema.ValidationError


@pytest.mark.parametrize("metadata", BAD.values(), ids=BAD.keys())
def test_invalid_metadata_raises_the_same_error(metadata):
    """Is invalid cell metadata refused with the error plain jsonschema.validate raises?"""
    validator = MetadataValidator()
    with pytest.raises(jsonschema.ValidationError) as plain:
        jsonschema.validate(metadata, validator.schema)
    with pytest.raises(ValidationError) as ours:
        validator.validate_cell(cell_with(metadata))
    assert str(ours.value) == str(plain.value)
    assert (ours.value.message, ours.value.validator, list(ours.value.path)) == (
        plain.value.message, plain.value.validator, list(plain.value.path))


def test_valid_metadata_passes():
    """Does valid metadata still pass, also after an invalid cell was refused?"""
    validator = MetadataValidator()
    validator.validate_cell(cell_with(GOOD))
    with pytest.raises(ValidationError):
        validator.validate_cell(cell_with(BAD["grade is not a boolean"]))
    validator.validate_cell(cell_with(GOOD))
    validator.validate_cell(cell_with({**GOOD, "grade": False, "points": 0}))


def test_each_schema_is_checked_once():
    """Across many cells, is each schema object checked against its metaschema once?"""
    validators = [MetadataValidator(), MetadataValidator()]
    cls = validator_for(validators[0].schema)
    with mock.patch.object(cls, "check_schema", wraps=cls.check_schema) as check_schema:
        for validator in validators:
            for _ in range(25):
                validator.validate_cell(cell_with(GOOD))
            with pytest.raises(ValidationError):
                validator.validate_cell(cell_with(BAD["negative points"]))
    assert [call.args[0] for call in check_schema.call_args_list] == [
        validator.schema for validator in validators]
    assert all(call.args[0] is validator.schema
               for call, validator in zip(check_schema.call_args_list, validators, strict=True))


def test_kept_validators_are_few():
    """nbgrader loads its schema for every notebook: are only the last few kept?"""
    for _ in range(3 * lean_start.CHECKED_SCHEMAS_KEPT):
        MetadataValidator().validate_cell(cell_with(GOOD))
    assert lean_start._checked_validator.cache_info().currsize <= lean_start.CHECKED_SCHEMAS_KEPT


def test_an_invalid_schema_is_refused_every_time():
    """Is a schema that breaks its metaschema refused at each call, as jsonschema does?"""
    schema = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "whole number"}
    for _ in range(2):
        with pytest.raises(jsonschema.SchemaError) as plain:
            jsonschema.validate(1, schema)
        with pytest.raises(jsonschema.SchemaError) as ours:
            lean_start.validate(1, schema)
        assert str(ours.value) == str(plain.value)


# ------------------------------------------------------------------ the gradebook

@pytest.fixture(scope="module")
def blank_gradebook(tmp_path_factory):
    """A new, empty gradebook made by nbgrader (once: nbgrader asks alembic for its
    version in a new process when it makes one)."""
    path = tmp_path_factory.mktemp("blank") / "gradebook.db"
    Gradebook(f"sqlite:///{path}").close()
    return path


def gradebook_url(blank: Path, folder: Path, name: str = "gradebook.db") -> str:
    shutil.copyfile(blank, folder / name)
    return f"sqlite:///{folder / name}"


def test_gradebook_opens_share_one_engine_per_database(tmp_path, blank_gradebook):
    """Do two opens of one gradebook use one engine, and another gradebook its own?"""
    first, second = (gradebook_url(blank_gradebook, tmp_path, name)
                     for name in ("one.db", "two.db"))
    with Gradebook(first) as gradebook, Gradebook(first) as again, Gradebook(second) as other:
        assert gradebook.engine is again.engine
        assert other.engine is not gradebook.engine
        gradebook.add_student("ada")
    with Gradebook(first) as gradebook:  # closing one closed no other's work
        assert [student.id for student in gradebook.students] == ["ada"]


def test_a_reopened_gradebook_lists_its_tables_once(tmp_path, blank_gradebook):
    """Does opening an existing gradebook ask for the list of tables instead of asking
    about each of its 13 tables?"""
    url = gradebook_url(blank_gradebook, tmp_path)
    Gradebook(url).close()
    statements: list[str] = []

    def note(connection, cursor, statement, *args) -> None:
        statements.append(statement)

    engine = lean_start.create_engine(url, echo=False, future=True)  # as nbgrader asks
    sqlalchemy.event.listen(engine, "before_cursor_execute", note)
    try:
        Gradebook(url).close()
    finally:
        sqlalchemy.event.remove(engine, "before_cursor_execute", note)
    table_questions = [text for text in statements if "table_info" in text]
    assert not table_questions, statements
    assert 1 <= len(statements) <= 4, statements


def test_a_missing_table_is_created_again(tmp_path, blank_gradebook):
    """Is a gradebook that lost a table given it again, as nbgrader does? And does a
    database replaced under the same URL get used, not the one the engine saw first?"""
    url = gradebook_url(blank_gradebook, tmp_path)
    with Gradebook(url) as gradebook:
        gradebook.add_student("ada")
    with sqlite3.connect(tmp_path / "gradebook.db") as connection:
        connection.execute("DROP TABLE comment")
    with Gradebook(url) as gradebook:
        assert "comment" in sqlalchemy.inspect(gradebook.engine).get_table_names()
    gradebook_url(blank_gradebook, tmp_path)  # the same URL, a new database
    with Gradebook(url) as gradebook:
        gradebook.add_student("ben")
        assert [student.id for student in gradebook.students] == ["ben"]


def test_kept_engines_are_few(tmp_path):
    """A process that opens many gradebooks (tests): are only the last few engines kept?"""
    for index in range(3 * lean_start.ENGINES_KEPT):  # engines connect only when used
        lean_start.create_engine(f"sqlite:///{tmp_path / f'{index}.db'}", future=True)
    assert lean_start._engine.cache_info().currsize <= lean_start.ENGINES_KEPT


def test_a_forked_child_makes_its_own_engine(tmp_path):
    """A child process must not share its parent's connections: does it get a new engine?"""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    parent = lean_start.create_engine(url)
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child)
        os.write(writing, b"new" if lean_start.create_engine(url) is not parent else b"same")
        os._exit(0)
    os.close(writing)
    os.waitpid(child, 0)
    with os.fdopen(reading, "rb") as answer:
        assert answer.read() == b"new"
    assert lean_start.create_engine(url) is parent
