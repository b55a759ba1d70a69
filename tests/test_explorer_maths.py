"""Is the maths behind the explorers right?"""

import numpy as np
import pytest

import reference
from graders.explorers import maths


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
