"""Attacks on the record a hidden test prints, and on the verdict read from it.

Like ``redteam.attacks``, each starts from a notebook whose answers are all wrong
(it deserves 0) and adds a code cell. Here the cell either forges records the
grader cannot read (it must fail them, not crash), returns an array whose
attributes lie about its data, or hides the running hidden cell's source
(``get_ipython().user_ns['In'][-1]``) in what the hidden test records (an
exception, a type's name, a returned string or dict key), hoping to see it again in
the feedback.

Most smugglers answer the first call of a hidden cell (the one before its hidden
part) honestly and smuggle only in the calls the hidden part makes: those are
the ones whose outcome the grader reads from the record.
"""

from __future__ import annotations

from redteam.attacks import Attack, with_code

RECORD_NESTED_DEEP = """
    from graders.conventions import RECORD_PREFIX
    def nested(name, function, hidden_inputs):
        depth = 100_000
        print(RECORD_PREFIX + '{"function": "%s", "public": %s%s, "hidden": []}'
              % (name, "[" * depth, "]" * depth))
    import graders.numpy_basics; graders.numpy_basics.record = nested
"""

RECORD_WRONG_TYPES = """
    import json
    from graders.conventions import RECORD_PREFIX
    from graders.numpy_basics import CASES
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
    import graders.numpy_basics; graders.numpy_basics.record = forged
"""

LYING_SHAPE = """
    class ColumnVector(np.ndarray):
        \"\"\"Says it is the column vector image2vector must return, whatever its data.\"\"\"
        @property
        def shape(self):
            return (self.size, 1)
        def tolist(self):
            return np.asarray(self).reshape(self.size, 1).tolist()
    def image2vector(image):
        return np.ravel(image).view(ColumnVector)  # the right numbers, in the wrong shape
"""

SMUGGLES_IN_EXCEPTION = """
    def sigmoid(x):
        if np.shape(x) == (2, 2):  # the cell's first call, before its hidden part
            return 1 / (1 + np.exp(-x))
        source = get_ipython().user_ns['In'][-1]
        raise type(source, (ValueError,), {})(source)
"""

SMUGGLES_IN_VALUES = """
    def sigmoid(x):
        if np.shape(x) == (2, 2):  # the cell's first call, before its hidden part
            return 1 / (1 + np.exp(-x))
        source = get_ipython().user_ns['In'][-1]
        return (source[:900], {source[:900]: source[:900]}, [source[:900]])
"""

SMUGGLES_IN_TYPE_NAME = """
    def sigmoid(x):
        if np.shape(x) == (2, 2):  # the cell's first call, before its hidden part
            return 1 / (1 + np.exp(-x))
        return type(get_ipython().user_ns['In'][-1], (), {})()
"""

RECORD_ATTACKS: list[Attack] = [
    Attack("record_nested_deep", "records", with_code(RECORD_NESTED_DEEP)),
    Attack("record_wrong_types", "records", with_code(RECORD_WRONG_TYPES)),
    Attack("lying_shape_subclass", "records", with_code(LYING_SHAPE, where="image2vector")),
    Attack("smuggles_hidden_source_in_exception", "records",
           with_code(SMUGGLES_IN_EXCEPTION, where="sigmoid")),
    Attack("smuggles_hidden_source_in_type_name", "records",
           with_code(SMUGGLES_IN_TYPE_NAME, where="sigmoid")),
    Attack("smuggles_hidden_source_in_strings_and_keys", "records",
           with_code(SMUGGLES_IN_VALUES, where="sigmoid")),
    # The same secret in the error of the cell's first call: no record at all, only
    # the kernel's own error output, which feedback must not show either.
    Attack("smuggles_hidden_source_in_cell_error", "records", with_code("""
        def sigmoid(x):
            source = get_ipython().user_ns['In'][-1]
            raise type(source, (ValueError,), {})(source)
        """, where="sigmoid")),
]
