"""Is the maths behind the explorers right?"""

from types import SimpleNamespace

import numpy as np
import pytest

from course import ASSIGNMENT
from graders.course_setup import reference_functions
from graders.explorers import maths

reference = SimpleNamespace(**reference_functions(ASSIGNMENT))


def test_central_difference_matches_the_analytic_slope():
    """Does the numerical slope of the sigmoid equal σ(1 − σ) to many digits?"""
    x = np.linspace(-6, 6, 25)
    np.testing.assert_allclose(
        maths.central_difference(reference.sigmoid, x), reference.sigmoid_derivative(x), atol=1e-9
    )


def test_chain_rule_slope_of_a_steeper_sigmoid():
    """Is the slope of σ(kx) equal to k·σ′(kx), as the finite difference confirms?"""
    x = np.linspace(-3, 3, 13)
    for k in (0.5, 1.0, 3.0):
        analytic = maths.chain_rule_slope(reference.sigmoid_derivative, k)(x)
        numeric = maths.central_difference(maths.steepened(reference.sigmoid, k), x)
        np.testing.assert_allclose(analytic, numeric, atol=1e-8)
    assert maths.chain_rule_slope(reference.sigmoid_derivative, 2.0)(np.float64(0)) == 0.5


def test_tangent_line_passes_through_the_point_with_the_slope():
    """Does the tangent go through (x0, y0) and rise by `slope` per unit?"""
    x = np.array([0.0, 1.0, 2.0])
    np.testing.assert_allclose(maths.tangent_line(x, 1.0, 0.5, 0.25), [0.25, 0.5, 0.75])


def test_compare_curves_reports_the_largest_gap_and_where():
    """Does the comparison say whether curves agree, by how much and where they part?"""
    x = np.array([0.0, 1.0, 2.0])
    same = maths.compare_curves(x, [1, 2, 3], [1, 2, 3 + 1e-9], tolerance=1e-6)
    assert same.agree
    apart = maths.compare_curves(x, [1, 2, 3], [1, 2.5, 3], tolerance=1e-6)
    assert (apart.agree, apart.largest_gap, apart.where) == (False, 0.5, 1.0)
    broken = maths.compare_curves(x, [1, np.nan, 3], [1, 2, 3], tolerance=1e-6)
    assert not broken.agree and broken.where == 1.0


def test_unit_circle_and_row_lengths():
    """Do the circle's points have length 1, and are row lengths Euclidean?"""
    circle = np.column_stack(maths.unit_circle(50))
    np.testing.assert_allclose(maths.row_lengths(circle), 1.0)
    np.testing.assert_allclose(maths.row_lengths(np.array([[3, 4], [0, 2]])), [5, 2])


def test_tempered_softmax_flattens_and_sharpens():
    """Does a high temperature flatten the probabilities and a low one sharpen them?"""
    scores = np.array([3.0, 1.0, 0.0])
    cold = maths.tempered_softmax(reference.softmax, scores, 0.1)
    warm = maths.tempered_softmax(reference.softmax, scores, 1.0)
    hot = maths.tempered_softmax(reference.softmax, scores, 100.0)
    assert cold.max() > warm.max() > hot.max()
    np.testing.assert_allclose(hot, 1 / 3, atol=0.01)
    for p in (cold, warm, hot):
        assert p.sum() == pytest.approx(1.0)


def test_a_softmax_of_the_wrong_shape_is_named():
    """Is a softmax that returns the wrong shape reported with both shapes?"""
    with pytest.raises(ValueError, match=r"shape \(5,\) for an input of shape \(1, 5\)"):
        maths.tempered_softmax(lambda x: np.ravel(x), np.arange(5.0), 1.0)
    with pytest.raises(ValueError, match=r"shape \(10,\) for an input of shape \(2, 5\)"):
        maths.tempered_softmax(lambda x: np.ravel(x), np.ones((2, 5)), 1.0)


SCORES = np.array([[3.0, 1.0, 0.2, -1.0, 2.0], [-1.0, 2.5, 0.5, 0.0, 1.0]])


def whole_matrix_sum(x):
    e = np.exp(x)
    return e / np.sum(e)


def columns(x):
    e = np.exp(x)
    return e / np.sum(e, axis=0, keepdims=True)


def uniform(x):
    return np.full_like(x, 1 / x.shape[1])


def no_exp(x):
    return x / np.sum(x, axis=1, keepdims=True)


@pytest.mark.parametrize("temperature", [0.1, 0.56, 1.0, 10.0])
def test_is_softmax_of_accepts_softmax_at_every_temperature(temperature):
    """Is a right softmax of two rows recognised, cold or hot?"""
    rows = SCORES / temperature
    assert maths.is_softmax_of(rows, maths.tempered_softmax(reference.softmax, SCORES, temperature))


@pytest.mark.parametrize("wrong", [whole_matrix_sum, columns, uniform, no_exp, np.exp])
def test_is_softmax_of_rejects_the_usual_mistakes(wrong):
    """Are a whole-matrix sum, a sum over columns, no exp, no division and a constant caught?"""
    assert not maths.is_softmax_of(SCORES, wrong(SCORES))


def test_row_sums_show_a_whole_matrix_sum():
    """Does a whole-matrix sum give rows that sum to less than 1, together to 1?"""
    sums = maths.row_sums(whole_matrix_sum(SCORES))
    assert np.all(sums < 0.9) and sums.sum() == pytest.approx(1.0)


ROWS = np.array([[3.0, 4.0], [-1.0, 2.0], [-2.5, -1.5]])


def test_unit_rows_along_accepts_normalised_rows_only():
    """Are rows divided by their own length accepted, and the usual mistakes refused?"""
    assert maths.unit_rows_along(ROWS, reference.normalize_rows(ROWS))
    by_columns = ROWS / np.linalg.norm(ROWS, axis=0, keepdims=True)
    whole = ROWS / np.linalg.norm(ROWS)
    flipped = -reference.normalize_rows(ROWS)  # length 1, wrong way
    swapped = reference.normalize_rows(ROWS)[:, ::-1]
    for wrong in (by_columns, whole, flipped, swapped, ROWS):
        assert not maths.unit_rows_along(ROWS, wrong)
    assert not maths.unit_rows_along(ROWS, np.full_like(ROWS, np.nan))


def test_zero_rows_are_found():
    """Are all-zero rows, which cannot be normalised, named by index?"""
    assert maths.zero_rows(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 0.0]])) == [0, 2]
    assert maths.zero_rows(ROWS) == []


def test_is_logistic_knows_sigma_by_its_defining_facts():
    """Is σ recognised, and are a flipped, shifted or steeper sigmoid refused?"""
    x = np.linspace(-8, 8, 321)

    def judged(function):
        return maths.is_logistic(x, function(x), maths.central_difference(function, x), 1e-4)

    assert judged(reference.sigmoid)
    assert not judged(lambda x: 1 / (1 + np.exp(x)))  # through (0, ½), slope −σ(1 − σ)
    assert not judged(lambda x: reference.sigmoid(x + 1))  # slope right, misses (0, ½)
    assert not judged(lambda x: reference.sigmoid(2 * x))
    assert not judged(np.tanh)


def test_a_drag_moves_the_value_by_the_distance_dragged():
    """Does a drag of 1.5 units move the value by 1.5, and stop at the ends?"""
    assert maths.dragged(1.0, 2.0, 0.5, -7, 7) == pytest.approx(-0.5)
    assert maths.dragged(1.0, 2.0, 2.3, -7, 7) == pytest.approx(1.3)
    assert maths.dragged(6.0, 0.0, 5.0, -7, 7) == 7


def test_same_shape_names_the_function_and_both_shapes():
    """Is a result of another shape than its input reported with the function's name?"""
    x = np.zeros(4)
    assert maths.same_shape(x + 1, x, "sigmoid") is not None
    with pytest.raises(ValueError, match=r"sigmoid returned shape \(\) for an input of shape"):
        maths.same_shape(np.float64(1), x, "sigmoid")


def test_steepened_curves_keep_the_students_function_name():
    """Does a message about σ(kx) name the student's sigmoid, not a lambda?"""
    def sigmoid(x):
        return None

    with pytest.raises(TypeError, match=r"^sigmoid returned None"):
        maths.evaluate(maths.steepened(sigmoid, 2.0), np.zeros(3))


def test_evaluate_names_a_result_that_is_not_numbers():
    """Does a function returning text, or nothing, get a clear error rather than a numpy one?"""
    def sigmoid(x):
        return "0.5"

    def softmax(x):
        np.exp(x)

    with pytest.raises(TypeError, match="sigmoid returned str, not numbers"):
        maths.evaluate(sigmoid, np.zeros(3))
    with pytest.raises(TypeError, match="softmax returned None: is the return statement missing"):
        maths.evaluate(softmax, np.zeros(3))
