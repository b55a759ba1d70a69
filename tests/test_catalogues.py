"""Is every assignment's catalogue of misconceptions proved by its answer bank, and is
none of its entries a right answer in disguise?

The catalogue (``Assignment.misconceptions``) is what a failing check names; each entry
must be shown by a wrong answer of the assignment's bank (``authoring/answer_bank.py``),
and each must be wrong on at least one public case, or it would name right answers.
"""

from __future__ import annotations

import numpy as np
import pytest

from graders.assignments import find
from graders.course_setup import assignment_ids, authoring, reference_functions
from graders.diagnoses import (
    CORRECT,
    UNKNOWN,
    Call,
    Observed,
    _fits,
    _prediction,
    stub_misconceptions,
)

# Mistakes any exercise can make: a bank need not show each for every function.
COMMON = {m.key for m in stub_misconceptions("any")} | {"returns_input"}

FUNCTIONS = [(assignment, function) for assignment in assignment_ids()
             for function in find(assignment).functions]


@pytest.mark.parametrize(("assignment", "function"), FUNCTIONS)
def test_the_bank_shows_every_misconception_of_the_catalogue(assignment, function):
    """Is every catalogue entry proved by at least one wrong answer of the bank?"""
    known = [a for a in authoring(assignment, "answer_bank").WRONG
             if a.problem and a.misconception]
    shown = {a.misconception for a in known if a.function == function}
    everywhere = {a.misconception for a in known}
    for misconception in find(assignment).misconceptions[function]:
        pool = everywhere if misconception.key in COMMON else shown
        assert misconception.key in pool, f"{function}: {misconception.key}"


@pytest.mark.parametrize(("assignment", "function"), FUNCTIONS)
def test_every_misconception_is_wrong_on_some_public_case(assignment, function):
    """Is no catalogue entry a right answer in disguise (the package must hold none)?"""
    checks = find(assignment)
    right = reference_functions(assignment)[function]
    for misconception in checks.misconceptions[function]:
        fits = []
        for case in checks.cases[function]:
            call = Call(case.args, case.want, checks.public_answer)
            got = right(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in case.args])
            correct = Observed(True, got, args_after=case.args)
            prediction = _prediction(misconception, call)
            fits.append(prediction in (CORRECT, UNKNOWN) or _fits(prediction, call, correct)[0])
        assert not all(fits), f"{function}: {misconception.key} is right on every public case"
