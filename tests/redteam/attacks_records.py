"""Attacks on the record a hidden test prints, and on the verdict read from it.

Like ``redteam.attacks``, each starts from a notebook whose answers are all wrong
(it deserves 0) and adds a code cell. Here the cell either forges records the
grader cannot read (it must fail them, not crash), returns an array whose
attributes lie about its data, or hides the running hidden cell's source
(``get_ipython().user_ns['In'][-1]``) in what the hidden test records (an
exception, a type's name, a returned string or dict key), hoping to see it again in
the feedback.

Most smugglers answer honestly when the notebook's own code calls them (the test
cell's visible call) and smuggle only when the checks' code does: the hidden
part's recorder, whose outcome the grader reads from the record.
"""

from __future__ import annotations

from redteam.attacks import Attack, code, with_code
from redteam.targets import Target

RECORD_NESTED_DEEP = """
    from graders.conventions import RECORD_PREFIX
    def nested(name, function, hidden_inputs):
        depth = 100_000
        print(RECORD_PREFIX + '{"function": "%s", "public": %s%s, "hidden": []}'
              % (name, "[" * depth, "]" * depth))
    import $checks; $checks.record = nested
"""

RECORD_WRONG_TYPES = """
    import json
    from graders.conventions import RECORD_PREFIX
    from $checks import CASES
    array = {"kind": "ndarray", "type": "ndarray", "dtype": "float64"}
    half = {"kind": "scalar", "type": "float", "data": 0.5}
    deep = half
    for _ in range(100):  # the value model allows 16
        deep = {"kind": "tuple", "type": "tuple", "items": [deep]}
    UNREADABLE_VALUES = [
        {"kind": "scalar", "type": "float", "data": "abc"},
        {**array, "shape": ["x"], "data": [0.5]},
        {**array, "shape": [2, 2], "data": [[1, 2], [3]]},
        {**array, "shape": {"0": 3}, "data": {"0": [0.5, 0.5, 0.5]}},
        {**array, "shape": [10**9, 10**9], "data": []},
        {"kind": "scalar", "type": "float", "data": float("nan")},  # a NaN literal
        {"kind": "tensor", "type": "float", "data": 0.5},
        {**array, "dtype": "object", "shape": [1], "data": [0.5]},
        {"kind": "bool", "type": "bool", "data": 0.5},
        deep,
        {"kind": "list", "type": "list", "items": [half] * 20_000},
        {"kind": "dict", "type": "dict", "items": [[7, half], ["a", half]]},
        {"kind": "dict", "type": "dict", "items": [["dw", half], ["dw", half]]},
        {"kind": "str", "type": "str", "data": "x" * 100_000},
    ]
    UNREADABLE_ARGS_AFTER = [{"0": 0.5}, [{"kind": "scalar", "type": "float", "data": [0.5]}]]
    # Reading stops at a record's first unreadable result: each function and part
    # starts on another one, so that the class's records bring every one to the grader.
    HOSTILE = ([{"value": value, "args_after": []} for value in UNREADABLE_VALUES]
               + [{"value": half, "args_after": after} for after in UNREADABLE_ARGS_AFTER])
    def forged(name, function, hidden_inputs):
        first = 2 * list(CASES).index(name)
        def results(count, start):
            return [HOSTILE[(start + i) % len(HOSTILE)] for i in range(count)]
        entry = {"function": name, "public": results(len(CASES[name]), first),
                 "hidden": results(len(hidden_inputs), first + 1)}
        print(RECORD_PREFIX + json.dumps(entry))
    import $checks; $checks.record = forged
"""

# The solution's own answer, computed, then handed back flat under a class that claims
# the right shape (and lists its data in it).
LYING_SHAPE = """
$solved
_right_$reshaping = $reshaping
def $reshaping(*args):
    right = np.asarray(_right_$reshaping(*args))
    class RightShape(np.ndarray):
        \"\"\"Says it has the shape $reshaping must return, whatever its data.\"\"\"
        shape = property(lambda self: right.shape)
        def tolist(self):
            return right.tolist()
    return np.ravel(right).view(RightShape)  # the right numbers, in the wrong shape
"""

# The solution's answer for the notebook's own calls; the smuggling for the checks' calls.
HONEST_TO_THE_NOTEBOOK = """
$solved
import sys
_honest = $elementwise
def _asked_by_the_notebook():
    \"\"\"Is the caller of the smuggler the notebook's own code, not a check or recorder?\"\"\"
    return sys._getframe(2).f_globals.get('__name__') == '__main__'
"""

SMUGGLES_IN_EXCEPTION = HONEST_TO_THE_NOTEBOOK + """
def $elementwise(*args):
    if _asked_by_the_notebook():
        return _honest(*args)
    source = get_ipython().user_ns['In'][-1]
    raise type(source, (ValueError,), {})(source)
"""

SMUGGLES_IN_VALUES = HONEST_TO_THE_NOTEBOOK + """
def $elementwise(*args):
    if _asked_by_the_notebook():
        return _honest(*args)
    source = get_ipython().user_ns['In'][-1]
    return (source[:900], {source[:900]: source[:900]}, [source[:900]])
"""

SMUGGLES_IN_TYPE_NAME = HONEST_TO_THE_NOTEBOOK + """
def $elementwise(*args):
    if _asked_by_the_notebook():
        return _honest(*args)
    return type(get_ipython().user_ns['In'][-1], (), {})()
"""

SMUGGLES_IN_CELL_ERROR = """
def $elementwise(*args):
    source = get_ipython().user_ns['In'][-1]
    raise type(source, (ValueError,), {})(source)
"""


def record_attacks(target: Target) -> list[Attack]:
    """Forged and unreadable records, lying arrays, and hidden source smuggled in results."""
    elementwise, reshaping = target.roles.elementwise, target.roles.reshaping

    def cell(template: str, where: str = target.first, **names: str):
        return with_code(code(template, target, **names), where)

    def smuggler(template: str):
        return cell(template, elementwise, elementwise=elementwise,
                    solved=target.solved(elementwise))

    return [
        Attack("record_nested_deep", "records", cell(RECORD_NESTED_DEEP)),
        Attack("record_wrong_types", "records", cell(RECORD_WRONG_TYPES)),
        Attack("lying_shape_subclass", "records", cell(
            LYING_SHAPE, reshaping, reshaping=reshaping, solved=target.solved(reshaping))),
        Attack("smuggles_hidden_source_in_exception", "records",
               smuggler(SMUGGLES_IN_EXCEPTION)),
        Attack("smuggles_hidden_source_in_type_name", "records",
               smuggler(SMUGGLES_IN_TYPE_NAME)),
        Attack("smuggles_hidden_source_in_strings_and_keys", "records",
               smuggler(SMUGGLES_IN_VALUES)),
        # The same secret in the error of the cell's own call: no record at all, only
        # the kernel's own error output, which feedback must not show either.
        Attack("smuggles_hidden_source_in_cell_error", "records",
               cell(SMUGGLES_IN_CELL_ERROR, elementwise, elementwise=elementwise)),
    ]
