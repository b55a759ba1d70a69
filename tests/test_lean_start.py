"""Does grading check nbgrader's metadata schema once, and validate exactly as before?

``graders.lean_start`` gives nbgrader's metadata module a ``jsonschema.validate`` that
keeps each schema's checked validator; these tests hold it to jsonschema's own.
"""

from __future__ import annotations

from unittest import mock

import jsonschema
import pytest
from jsonschema.validators import validator_for
from nbformat.v4 import new_code_cell
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
