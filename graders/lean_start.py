"""Work that grading does not need, skipped in the processes that grade.

Imported before anything imports jsonschema (``graders.grade`` imports it first); it
then imports nbgrader, as the grading command does anyway.

jsonschema imports ``rfc3987_syntax`` when it is installed (Jupyter's event schemas
bring it in), to check the "iri" string formats, and that module builds a parser of
the RFC's grammar as it is imported: 0.8 s of every process that imports nbformat or
nbgrader, i.e. the grading command and each of its workers. Nothing that grading
validates uses those formats: nbformat and nbgrader validate without format checks.

nbgrader validates the metadata of each of its cells with ``jsonschema.validate``,
which first checks the schema itself against its metaschema: 50 checks per student
of schemas that never change, ≈ 40 ms. Here nbgrader's metadata module validates the
same way (same validator class, same ``best_match`` error) but checks a schema object
only the first time it sees it, and reuses its validator while the object is among
the last few seen: nbgrader loads its schema anew for each notebook it reads or
checks, so keeping every one would grow with the class.

nbgrader opens a new ``Gradebook`` about 11 times per student, and each one made a new
SQLAlchemy engine, whose cache of compiled statements starts empty (so each of the
~145 queries per student was compiled again), then asked the database about each of
its 13 tables. Here nbgrader's gradebook module gets the same engine again for the
same database URL (SQLAlchemy's advice: one engine per database per process;
``Gradebook.close`` still closes its connections), and its table check asks for the
list of tables once, creating them only when one is missing, as before: ≈ 0.1 s of
CPU less per student.
"""

import functools
import os
import sys
import types

UNUSED_AT_START = ("rfc3987_syntax",)

for _name in UNUSED_AT_START:
    # None in sys.modules makes `import` raise ImportError, which jsonschema expects.
    sys.modules.setdefault(_name, None)

# After the lines above, which these depend on.
import jsonschema  # noqa: E402
import sqlalchemy  # noqa: E402
from nbgrader import api as _nbgrader_gradebook  # noqa: E402
from nbgrader.nbgraderformat import common as _nbgrader_metadata  # noqa: E402

# Schema objects whose validator is kept; nbgrader uses one at a time.
CHECKED_SCHEMAS_KEPT = 8


class _SameObject:
    """A cache key that is one schema object, by identity (dicts are not hashable).

    It holds the schema, so while the key is cached the object's id cannot be reused.
    """

    __slots__ = ("schema",)

    def __init__(self, schema) -> None:
        self.schema = schema

    def __hash__(self) -> int:
        return id(self.schema)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SameObject) and other.schema is self.schema


@functools.lru_cache(maxsize=CHECKED_SCHEMAS_KEPT)
def _checked_validator(key: _SameObject, cls: type):
    # Raises SchemaError as jsonschema.validate does; a failure is not cached.
    cls.check_schema(key.schema)
    return cls(key.schema)


def validate(instance, schema, cls=None, *args, **kwargs) -> None:
    """``jsonschema.validate``, checking each schema object once instead of every call."""
    if args or kwargs:  # validators made with options are not kept (nbgrader gives none)
        return jsonschema.validate(instance, schema, cls, *args, **kwargs)
    if cls is None:
        cls = jsonschema.validators.validator_for(schema)
    validator = _checked_validator(_SameObject(schema), cls)
    error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


class _SchemasCheckedOnce(types.ModuleType):
    """jsonschema as nbgrader's metadata module sees it: the same, but for ``validate``."""

    def __getattr__(self, name: str):
        return getattr(jsonschema, name)


JSONSCHEMA_FOR_NBGRADER = _SchemasCheckedOnce("jsonschema", _SchemasCheckedOnce.__doc__)
JSONSCHEMA_FOR_NBGRADER.validate = validate
_nbgrader_metadata.jsonschema = JSONSCHEMA_FOR_NBGRADER


# Engines kept, one per database URL: a grading process uses one gradebook (a test
# process many, hence a bound).
ENGINES_KEPT = 4


@functools.lru_cache(maxsize=ENGINES_KEPT)
def _engine(url: str, options: tuple) -> sqlalchemy.Engine:
    return sqlalchemy.create_engine(url, **dict(options))


def create_engine(url, **options) -> sqlalchemy.Engine:
    """``sqlalchemy.create_engine`` for nbgrader's gradebook: the same engine again for
    the same URL and options."""
    try:
        return _engine(url, tuple(sorted(options.items())))
    except TypeError:  # an unhashable option: a new engine, as before
        return sqlalchemy.create_engine(url, **options)


# A child process must not share its parent's connections: it makes engines of its own.
os.register_at_fork(after_in_child=_engine.cache_clear)

_create_all = _nbgrader_gradebook.Base.metadata.create_all


def create_all(bind, tables=None, checkfirst: bool = True) -> None:
    """nbgrader's ``create_all``, done only when one of its tables is missing: one query
    for the list of tables instead of one per table."""
    if tables is None and checkfirst:
        present = set(sqlalchemy.inspect(bind).get_table_names())
        if present.issuperset(_nbgrader_gradebook.Base.metadata.tables):
            return
    _create_all(bind=bind, tables=tables, checkfirst=checkfirst)


_nbgrader_gradebook.create_engine = create_engine
_nbgrader_gradebook.Base.metadata.create_all = create_all
