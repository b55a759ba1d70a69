"""Are logistic regression's explorers right: their maths, their answers to sliders and mistakes?

On the course's real data (handwritten digits, "is it an 8?"), with a small reference
``optimize`` and ``predict`` written here. Headless: Agg canvases, slider values set
from Python, which runs the same callbacks as a slider moved in a browser.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from graders.datasets import load_digits_task
from graders.explorers import explore_learning_rate, explore_weights
from graders.explorers import training as t
from graders.explorers.training import WrongResultError

ITERATIONS = 300  # enough for three recorded costs, and fast


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    """Vectorised gradient descent on the logistic cost, the cost kept every 100 iterations."""
    m = X.shape[1]
    costs = []
    for i in range(num_iterations):
        A = sigmoid(w.T @ X + b)
        cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        dw, db = X @ (A - Y).T / m, np.mean(A - Y)
        w, b = w - learning_rate * dw, b - learning_rate * db
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, {"dw": dw, "db": db}, costs


def predict(w, b, X):
    return (sigmoid(w.T @ X + b) > 0.5).astype(float)


@pytest.fixture(scope="module")
def digits():
    """The training images, flattened into columns and scaled, their labels and classes."""
    images, Y, _, _, classes = load_digits_task()
    return images, images.reshape(len(images), -1).T / 16, Y, classes


@pytest.fixture(scope="module")
def model(digits):
    """w and b trained at α = 0.5 for 1000 iterations, as a student's model would give."""
    _, X, Y, _ = digits
    params, _, _ = optimize(np.zeros((X.shape[0], 1)), 0.0, X, Y, 1000, 0.5)
    return params["w"], params["b"]


# --- The maths -----------------------------------------------------------------------------

def test_training_records_the_cost_curve_and_the_accuracy(digits):
    """Does a run start at ln 2 (w = 0), fall, say when each cost was recorded, and score?"""
    _, X, Y, _ = digits
    run = t.train(optimize, X, Y, 0.5, 1000)
    np.testing.assert_array_equal(run.iterations, np.arange(0, 1000, 100))
    assert run.costs[0] == pytest.approx(np.log(2))
    assert np.all(np.diff(run.costs) < 0) and run.rises is None and run.cost_undefined_at is None
    expected = np.mean(predict(run.w, run.b, X) == Y)
    assert run.accuracy == pytest.approx(expected) and run.accuracy > 0.9
    assert run.w.shape == (64, 1) and isinstance(run.b, float)


def test_a_learning_rate_too_large_is_found_to_lose_the_cost_not_the_model(digits):
    """Does α = 30 give nan costs from iteration 100 while w and b stay finite and still
    classify, found without a warning or a crash?"""
    _, X, Y, _ = digits
    with np.errstate(all="raise"):  # the run itself must not let numpy complain
        run = t.train(optimize, X, Y, 30.0, ITERATIONS)
    assert run.cost_undefined_at == 100
    assert not run.diverged and run.accuracy > 0.9
    assert t.train(optimize, X, Y, 0.01, ITERATIONS).cost_undefined_at is None


def test_parameters_that_are_no_longer_numbers_are_found_diverged():
    """Is a run whose w holds inf found diverged, with no accuracy?"""
    X, Y = np.ones((4, 3)), np.array([[0, 1, 1]])
    w = np.array([[np.inf], [0.0], [0.0], [0.0]])
    assert t.accuracy(w, 0.0, X, Y) is None
    assert t.Training(1.0, np.arange(1), np.array([np.nan]), w, 0.0, None).diverged


def test_a_cost_that_goes_up_is_found_with_where():
    """Is the first rise of the cost named by the two iterations around it?"""
    def run(costs):
        costs = np.array(costs)
        return t.Training(1.0, t.recorded_at(len(costs), 100 * len(costs)), costs,
                          np.zeros((4, 1)), 0.0, None)

    assert run([0.7, 0.5, 0.6, 0.4, 0.45]).rises == (100, 200)
    assert run([0.7, 0.5, 0.5, 0.4]).rises is None


def test_costs_recorded_at_another_pace_are_spread_over_the_run():
    """Are ten costs of 1000 iterations at 0, 100, …, 900, and one per iteration at 0, 1, …?"""
    np.testing.assert_array_equal(t.recorded_at(10, 1000), np.arange(0, 1000, 100))
    np.testing.assert_array_equal(t.recorded_at(1000, 1000), np.arange(1000))


def test_the_student_optimize_cannot_change_the_explorers_data(digits):
    """Does an optimize that scales X in place leave the explorer's X as it was?"""
    _, X, Y, _ = digits
    X, Y = X.copy(), Y.copy()
    before = X.copy()

    def in_place(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        X /= 2
        Y[:] = 0
        return optimize(w, b, X, Y, num_iterations, learning_rate)

    t.train(in_place, X, Y, 0.5, 100)
    np.testing.assert_array_equal(X, before)
    assert Y.sum() > 0


@pytest.mark.parametrize(("result", "english", "chinese"), [
    (None, "Your optimize returned None: is the return statement missing?", "return"),
    (({"w": np.zeros((4, 1)), "b": 0.0}, [0.7]), "Your optimize returned a tuple of 2;",
     "(params, grads, costs)"),
    (({"w": np.zeros((4, 1))}, {}, [0.7]), 'The params your optimize returned should be a dict',
     '"b"'),
    (({"w": np.zeros(4), "b": 0.0}, {}, [0.7]),
     'params["w"] from your optimize has shape (4,); it should keep the shape (4, 1)', "(4, 1)"),
    (({"w": np.zeros((4, 1)), "b": np.zeros((1, 2))}, {}, [0.7]),
     'params["b"] from your optimize has shape (1, 2); b is one number', "一个数"),
    (({"w": np.zeros((4, 1)), "b": 0.0}, {}, []), "The costs your optimize returned are empty",
     "每 100 次"),
    (({"w": "w", "b": 0.0}, {}, [0.7]), 'params["w"] is a str, not numbers', "不是数值"),
])
def test_what_optimize_returned_wrong_is_said_in_both_languages(result, english, chinese):
    """Does each wrong result of optimize get a message that starts with what is wrong?"""
    with pytest.raises(WrongResultError) as caught:
        t.unpack_optimize(result, 4)
    assert caught.value.english.startswith(english)
    assert chinese in caught.value.chinese


def test_every_right_form_of_a_result_is_read():
    """Are b as a 0-d or (1, 1) array and costs as a list of 0-d arrays all accepted?"""
    costs = [np.float64(0.7), np.array(0.5)]
    for b in (np.array(0.25), np.array([[0.25]]), np.float32(0.25)):
        _, read_b, read_costs = t.unpack_optimize(({"w": np.ones((4, 1)), "b": b}, {}, costs), 4)
        assert read_b == 0.25 and isinstance(read_b, float)
        np.testing.assert_array_equal(read_costs, [0.7, 0.5])


def test_accuracy_compares_labels_with_equality_not_uint8_arithmetic():
    """With uint8 labels, are all-wrong predictions 0 % right (not 255 of something)?"""
    X = np.array([[1.0, -1.0, 2.0]])
    Y = np.array([[0, 1, 0]], dtype=np.uint8)
    assert t.accuracy(np.array([[1.0]]), 0.0, X, Y) == 0.0  # z > 0 ↔ 1: every one wrong
    assert t.accuracy(np.array([[-1.0]]), 0.0, X, Y) == 1.0
    assert t.accuracy(np.array([[np.nan]]), 0.0, X, Y) is None
    np.testing.assert_array_equal(t.misclassified(np.array([1, 0, 0]), Y), [0, 1])


def test_w_is_drawn_as_the_image_the_pixels_came_from(digits):
    """Does a flattened 8 × 8 image come back as the same image, and a non-square n refused?"""
    images, X, _, _ = digits
    np.testing.assert_array_equal(t.as_image(X[:, 5]), images[5] / 16)
    with pytest.raises(WrongResultError, match="65 numbers, not a square number"):
        t.as_image(np.zeros(65))


def test_each_pixels_share_adds_up_to_z(digits, model):
    """Do the contributions w_j·x_j of an example sum, with b, to its z = wᵀx + b?"""
    _, X, _, _ = digits
    w, b = model
    shares = t.contributions(w, X)
    assert shares.shape == X.shape
    np.testing.assert_allclose(shares.sum(axis=0) + b, (w.T @ X + b).ravel())


def test_the_colour_limit_is_symmetric_around_zero():
    """Is the limit the largest |value|, nan left out, and 1 for all zeros?"""
    assert t.symmetric_limit(np.array([-3.0, 2.0, np.nan])) == 3.0
    assert t.symmetric_limit(np.zeros(4)) == 1.0


def test_predictions_read_a_right_predict(digits, model):
    """Is a right predict's (1, m) of floats read as m ints of 0 and 1?"""
    _, X, _, _ = digits
    got = t.predictions(predict, *model, X)
    assert got.shape == (X.shape[1],) and got.dtype.kind == "i"
    np.testing.assert_array_equal(got, predict(*model, X).ravel())


@pytest.mark.parametrize(("wrong", "message"), [
    (lambda w, b, X: predict(w, b, X).ravel(),
     r"Your predict returned shape \(264,\); it should be \(1, 264\)"),
    (lambda w, b, X: sigmoid(w.T @ X + b), "Your predict returned values other than 0 and 1"),
    (lambda w, b, X: None, "The result of predict is None"),
])
def test_a_wrong_predict_is_named(digits, model, wrong, message):
    """Are a flat result, probabilities and a missing return each named plainly?"""
    _, X, _, _ = digits
    with pytest.raises(WrongResultError, match=message):
        t.predictions(wrong, *model, X)


def test_misclassified_examples_are_viewed_first():
    """Are the misclassified examples first, each group in order?"""
    np.testing.assert_array_equal(t.viewing_order(np.array([4, 1]), 6), [4, 1, 0, 2, 3, 5])
    np.testing.assert_array_equal(t.viewing_order(np.array([], dtype=int), 3), [0, 1, 2])


def test_data_of_the_wrong_shape_is_refused_in_both_languages(digits):
    """Are examples as rows, or labels as a flat vector, refused before anything is drawn?"""
    _, X, Y, _ = digits
    for wrong_X, wrong_Y in ((X.T, Y), (X, Y.ravel())):
        with pytest.raises(ValueError, match=r"X must be \(n, m\).*X 的形状"):
            t.check_data(wrong_X, wrong_Y)


# --- The learning-rate explorer ----------------------------------------------------------

def rate_explorer(digits, function=optimize, iterations=ITERATIONS):
    _, X, Y, _ = digits
    return explore_learning_rate(function, X, Y, num_iterations=iterations, interactive=False)


def shown(explorer) -> list[str]:
    """The key's rows that are on show, without their "━━ "."""
    return [row.get_text().removeprefix("━━ ") for row in explorer.rows if row.get_visible()]


def test_moving_the_rate_trains_again_and_draws_its_curve(digits):
    """Does a move to α = 0.1 draw the costs of a fresh run at 0.1, beside the run at 0.5?"""
    _, X, Y, _ = digits
    explorer = rate_explorer(digits)
    assert explorer.note.value.startswith("✓ α = 0.500: the cost went from 0.693 to")
    explorer.rate.value = 0.1
    _, _, costs = optimize(np.zeros((64, 1)), 0.0, X, Y, ITERATIONS, 0.1)
    iterations, drawn = explorer.lines[0].get_data()
    np.testing.assert_array_equal(iterations, [0, 100, 200])
    np.testing.assert_allclose(drawn, costs)
    assert shown(explorer)[0].startswith("0.100: ") and shown(explorer)[1].startswith("0.500: ")
    assert "训练集准确率" in explorer.note.value


def test_earlier_rates_stay_a_while_each_in_its_own_colour(digits):
    """Are the last four earlier rates kept, each keeping its colour, and a rate not twice?"""
    explorer = rate_explorer(digits, iterations=100)
    for rate in (0.01, 0.1, 1.0, 2.0, 5.0):
        explorer.rate.value = rate
    rates = [row.split(":")[0] for row in shown(explorer)]
    assert rates == ["5.00", "2.00", "1.00", "0.100", "0.0100"]
    colour_of_1 = explorer.lines[2].get_color()
    explorer.rate.value = 1.0  # back to a rate on show: it moves to the front, not twice
    rates = [row.split(":")[0] for row in shown(explorer)]
    assert rates == ["1.00", "5.00", "2.00", "0.100", "0.0100"]
    assert explorer.lines[0].get_color() == colour_of_1
    colours = [line.get_color() for line in explorer.lines]
    assert len(set(colours)) == len(colours)


def test_a_rate_that_loses_the_cost_is_said_in_words(digits):
    """Does α = 30 bring a note (both languages) that the cost became nan through log 0, while
    the model still classifies, and no crash?"""
    explorer = rate_explorer(digits)
    explorer.rate.value = 30.0
    note = explorer.note.value
    assert note.startswith("<b>⚠ α = 30.0: from iteration 100 the cost is nan.</b>")
    assert "log 0" in note and "The model still classifies (train accuracy 9" in note
    assert "从第 100 次迭代起代价为 nan" in note and explorer.error_text == ""
    assert "diverged" not in note
    assert shown(explorer)[0].endswith("(cost nan)")


def test_a_cost_that_rises_brings_a_warning(digits):
    """Does a run whose cost goes up get a ⚠ that the steps overshoot?"""
    def bouncing(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        return {"w": w, "b": b}, {}, [0.69, 0.4, 0.5]

    explorer = rate_explorer(digits, bouncing)
    assert explorer.note.value.startswith(
        "<b>⚠ The cost went up between iterations 100 and 200")
    assert "越过了最低点" in explorer.note.value


def test_an_optimize_that_raises_shows_its_line_not_a_traceback(digits):
    """Does an error in optimize show a bilingual message and the student's line, then clear?"""
    state = {"broken": True}

    def student_optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        if state["broken"]:
            dw = np.dot(w, X)  # (64, 1)·(64, 264): shapes not aligned
            return {"w": w - dw, "b": b}, {}, []
        return optimize(w, b, X, Y, num_iterations, learning_rate)

    explorer = rate_explorer(digits, student_optimize)
    text = explorer.error_text
    assert text.startswith("⚠ Your optimize raised ValueError: shapes (64,1) and (64,264)")
    assert "你的 optimize 出错了" in text and "dw = np.dot(w, X)" in text
    assert "Traceback" not in text and "site-packages" not in text
    assert explorer.note.value.startswith("<b>⚠ Your optimize needs a fix</b>")
    assert not explorer.lines[0].get_visible()
    state["broken"] = False
    explorer.rate.value = 0.1  # fixed: the next move works again
    assert explorer.error_text == "" and explorer.note.value.startswith("✓")


def test_an_optimize_returning_the_wrong_shape_is_named(digits):
    """Does a w flattened by optimize get a message naming both shapes, in both languages?"""
    def flat(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        params, grads, costs = optimize(w, b, X, Y, num_iterations, learning_rate)
        return {"w": params["w"].ravel(), "b": params["b"]}, grads, costs

    explorer = rate_explorer(digits, flat)
    assert explorer.error_text.startswith(
        '⚠ params["w"] from your optimize has shape (64,); it should keep the shape (64, 1)')
    assert "形状" in explorer.error_text


def test_an_unwritten_optimize_is_named_as_such(digits):
    """Is a stub that raises NotImplementedError called unwritten, not broken?"""
    def stub(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        raise NotImplementedError

    explorer = rate_explorer(digits, stub)
    assert explorer.note.value.startswith("<b>✎ optimize is not written yet</b>")
    assert explorer.error_text.startswith("✎ optimize is not written yet")


# --- The weights explorer ----------------------------------------------------------------

def weights_explorer(digits, model, function=predict):
    _, X, Y, classes = digits
    return explore_weights(function, *model, X, Y, classes, interactive=False)


def test_the_weights_are_an_image_centred_on_zero(digits, model):
    """Is w drawn as the 8 × 8 image of its pixels, with colour limits ±max|w|?"""
    explorer = weights_explorer(digits, model)
    w, _ = model
    np.testing.assert_array_equal(explorer.weights_image.get_array(), w.reshape(8, 8))
    low, high = explorer.weights_image.get_clim()
    assert high == -low == pytest.approx(np.abs(w).max())


def test_the_slider_steps_through_the_misclassified_examples_first(digits, model):
    """Does the slider start on the first misclassified example, with its image and z?"""
    images, X, Y, classes = digits
    w, b = model
    explorer = weights_explorer(digits, model)
    wrong = np.flatnonzero(predict(w, b, X).ravel() != Y.ravel())
    assert 0 < len(wrong) < 40
    assert explorer.count.value.startswith(f"{len(wrong)} of 264 misclassified")
    assert f"264 个中分错 {len(wrong)} 个" in explorer.count.value
    first = wrong[0]
    np.testing.assert_array_equal(explorer.example_image.get_array(), images[first] / 16)
    z = (w.T @ X[:, first] + b).item()
    assert explorer.share_title.get_text() == f"w⊙x: z = Σ + b = {z:.2f}".replace("-", "−")
    label = classes[Y[0, first]]
    assert explorer.note.value.startswith(f"✗ example {first}: label <b>{label}</b>")
    assert "你的 predict 判为" in explorer.note.value

    explorer.example.index = len(wrong)  # the first example classified right
    right = np.setdiff1d(np.arange(264), wrong)[0]
    assert explorer.example.label == str(right)  # the readout names the example shown
    assert explorer.note.value.startswith(f"✓ example {right}: label")
    np.testing.assert_allclose(explorer.share_image.get_array(),
                               (w.ravel() * X[:, right]).reshape(8, 8))


def test_a_predict_that_raises_leaves_the_weights_and_examples_drawn(digits, model):
    """Does a broken predict show its message, while w and every example can still be seen?"""
    images, _, _, _ = digits

    def broken(w, b, X):
        return np.dot(w, X) > 0.5  # (64, 1)·(64, 264): shapes not aligned

    explorer = weights_explorer(digits, model, broken)
    assert explorer.error_text.startswith("⚠ Your predict raised ValueError")
    assert "return np.dot(w, X) > 0.5" in explorer.error_text
    assert "Traceback" not in explorer.error_text
    np.testing.assert_array_equal(explorer.weights_image.get_array(), model[0].reshape(8, 8))
    explorer.example.index = 3  # no verdicts: the examples in their own order
    np.testing.assert_array_equal(explorer.example_image.get_array(), images[3] / 16)
    assert explorer.count.value == "" and "predict" in explorer.note.value


def test_a_predict_of_the_wrong_shape_is_named(digits, model):
    """Does a predict that returns (m,) get a message asking for (1, m)?"""
    explorer = weights_explorer(digits, model, lambda w, b, X: predict(w, b, X).ravel())
    assert explorer.error_text.startswith(
        "⚠ Your predict returned shape (264,); it should be (1, 264)")
    assert "应为 (1, 264)" in explorer.error_text


def test_a_w_of_the_wrong_size_is_named_and_the_examples_still_shown(digits, model):
    """Is a w with a weight too many named, with the examples still drawn?"""
    images, _, _, _ = digits
    w, b = model
    explorer = weights_explorer(digits, (np.vstack([w, [[0.0]]]), b))
    assert explorer.error_text.startswith(
        "⚠ w has 65 numbers, but each example has 64 pixels")
    np.testing.assert_array_equal(explorer.example_image.get_array(), images[0] / 16)


# --- Display, and grading ----------------------------------------------------------------

def test_both_explorers_display_a_png_beside_the_widget(digits, model):
    """Does each displayed bundle hold the widget and a PNG for pages without widgets?"""
    for explorer in (rate_explorer(digits), weights_explorer(digits, model)):
        bundle = explorer._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle
        assert bundle["image/png"].startswith("iVBORw0KGgo")


def test_in_a_notebook_the_figures_are_ipympl_widgets_clear_of_the_toolbar(digits, model):
    """Is each canvas an ipympl widget, with no axes or key in the toolbar's strip?"""
    from ipympl.backend_nbagg import Canvas

    from graders.explorers import widgets as w

    _, X, Y, classes = digits
    explorers = [explore_learning_rate(optimize, X, Y, num_iterations=ITERATIONS),
                 explore_weights(predict, *model, X, Y, classes)]
    for rate in (0.001, 10 ** 1.5):  # the widest key rows: "0.00100: …", "31.6: … (cost nan)"
        explorers[0].rate.value = rate
    for explorer in explorers:
        assert isinstance(explorer.canvas, Canvas)
        assert explorer.canvas in explorer.widget().children
        figure = explorer.figure
        width = figure.get_figwidth() * figure.dpi
        renderer = figure.canvas.get_renderer()
        for ax in figure.axes:
            right = ax.get_tightbbox(renderer).x1 / width
            assert right <= 1 - w.TOOLBAR_MARGIN_PX / width + 1e-3, type(explorer).__name__


def test_under_nbgrader_the_explorers_do_nothing():
    """While nbgrader grades, do both explorers return None without loading matplotlib?"""
    code = (
        "import sys\n"
        "from graders.explorers import explore_learning_rate, explore_weights\n"
        "assert explore_learning_rate(None, None, None) is None\n"
        "assert explore_weights(None, None, None, None, None, None) is None\n"
        "print(sorted({'matplotlib', 'ipywidgets', 'ipympl'} & set(sys.modules)))\n"
    )
    env = {"NBGRADER_EXECUTION": "autograde", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
