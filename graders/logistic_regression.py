"""Public checks for notebook 02, "Logistic regression with a neural-network mindset".

Each check is called with the student's function, e.g. ``propagate_test(propagate)``.
As in notebook 01 (``graders.numpy_basics``), the expected values are literal
numbers: this module is installed on students' machines and must not contain a
working implementation of any graded function.

:data:`MISCONCEPTIONS` lists, per function, the mistakes students commonly make
and what each returns, predicted from a case's inputs and its right answer (or, for
a mistake in ``optimize``, from the right answer of ``propagate`` at the starting
point, which the caller knows). A mistake whose result depends on many steps of
gradient descent is predicted only where one step, or a learning rate of 0, makes
it certain, and is unknown elsewhere: a diagnosis is named only when it explains
the failures and contradicts no case (``graders.diagnoses``).
"""

from collections.abc import Callable
from typing import Any

import numpy as np

from .assignments import Assignment
from .compare import Case
from .datasets import DIGITS
from .diagnoses import (
    CORRECT,
    UNKNOWN,
    Call,
    Lesson,
    Misconception,
    OneElement,
    Prediction,
    Raises,
    Returns,
    from_answer,
    runs,
    stub_misconceptions,
)
from .numpy_basics import EXP_ONLY, EXP_SIGN, MATH_ON_ARRAYS
from .record import recorder
from .undefined import explain_undefined_names
from .values import Tolerance

__all__ = [
    "flatten_and_scale_test",
    "initialize_with_zeros_test",
    "model_test",
    "optimize_test",
    "predict_test",
    "propagate_test",
    "sigmoid_test",
]

FLATTEN_AND_SCALE_CASES = [
    Case(
        "two 2×2 images · 两幅 2×2 图像",
        (np.array([[[0, 16], [8, 4]], [[16, 0], [2, 12]]], dtype=np.uint8),),
        [[0.0, 1.0], [1.0, 0.0], [0.5, 0.125], [0.25, 0.75]],
    ),
    Case(
        "three 3×3 images, none reaching 16 · 三幅 3×3 图像，像素都小于 16",
        (np.array([[[1, 2, 3], [4, 5, 6], [7, 8, 9]],
                   [[9, 0, 9], [0, 9, 0], [9, 0, 9]],
                   [[12, 10, 8], [6, 4, 2], [0, 3, 6]]], dtype=np.uint8),),
        [[0.0625, 0.5625, 0.75], [0.125, 0.0, 0.625], [0.1875, 0.5625, 0.5],
         [0.25, 0.0, 0.375], [0.3125, 0.5625, 0.25], [0.375, 0.0, 0.125],
         [0.4375, 0.5625, 0.0], [0.5, 0.0, 0.1875], [0.5625, 0.5625, 0.375]],
    ),
    Case(
        "a single 4×4 image · 单幅 4×4 图像",
        (np.array([[[0, 4, 8, 12], [16, 12, 8, 4], [2, 6, 10, 14], [15, 11, 7, 3]]],
                  dtype=np.uint8),),
        [[0.0], [0.25], [0.5], [0.75], [1.0], [0.75], [0.5], [0.25],
         [0.125], [0.375], [0.625], [0.875], [0.9375], [0.6875], [0.4375], [0.1875]],
    ),
]

SIGMOID_CASES = [
    Case("z = 0, the midpoint · 中点 z = 0", (0.0,), 0.5),
    Case(
        "a row of activations, shape (1, 3) · 一行激活值，形状 (1, 3)",
        (np.array([[-1.0, 0.0, 2.0]]),),
        [[0.2689414213699951, 0.5, 0.8807970779778823]],
    ),
    Case(
        "a 2×2 matrix · 2×2 矩阵",
        (np.array([[3.0, -0.5], [0.25, -4.0]]),),
        [[0.9525741268224334, 0.3775406687981454], [0.5621765008857981, 0.01798620996209156]],
    ),
    Case(
        "large values [−20, 20] · 绝对值很大的输入 [−20, 20]",
        (np.array([-20.0, 20.0]),),
        [2.0611536181902037e-09, 0.9999999979388463],
    ),
]

INITIALIZE_WITH_ZEROS_CASES = [
    Case("dim = 2 · dim = 2", (2,), (np.zeros((2, 1)), 0.0)),
    Case("dim = 1, a single feature · dim = 1，只有一个特征", (1,), (np.zeros((1, 1)), 0.0)),
    Case("dim = 64, one weight per pixel of an 8×8 digit · dim = 64，8×8 数字每个像素一个权重",
         (64,), (np.zeros((64, 1)), 0.0)),
]

# The example of the notes, which propagate and optimize share.
_W, _B = np.array([[1.0], [2.0]]), 2.0
_X, _Y = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]]), np.array([[1, 0, 1]])
# w = 0 and b = 0, where every activation is 0.5, and integer labels.
_X_ZERO, _Y_ZERO = (np.array([[1.0, -2.0, 0.5, 3.0], [0.0, 1.5, -1.0, 2.0],
                              [-0.5, 0.25, 1.0, -1.5]]), np.array([[1, 0, 0, 1]]))
# More features (4) than examples (2).
_W_WIDE, _B_WIDE = np.array([[0.5], [-0.25], [1.0], [0.0]]), -0.5
_X_WIDE = np.array([[1.0, 2.0], [-1.0, 0.5], [0.25, -0.75], [3.0, -2.0]])
_Y_WIDE = np.array([[0.0, 1.0]])

PROPAGATE_CASES = [
    Case(
        "the example of the notes · 笔记中的例子", (_W, _B, _X, _Y),
        ({"dw": np.array([[0.9984560146379561], [2.395072388486207]]),
          "db": 0.001455578136784208}, 5.801545319394553),
    ),
    Case(
        "w = 0 and b = 0: every activation is 0.5 · w = 0、b = 0：每个激活值都是 0.5",
        (np.zeros((3, 1)), 0.0, _X_ZERO, _Y_ZERO),
        ({"dw": np.array([[-0.6875], [-0.1875], [0.40625]]), "db": 0.0}, 0.6931471805599453),
    ),
    Case(
        "more features (4) than examples (2) · 特征（4 个）多于样本（2 个）",
        (_W_WIDE, _B_WIDE, _X_WIDE, _Y_WIDE),
        ({"dw": np.array([[-0.2814369343531424], [-0.4593963155894447],
                          [0.30005739138300797], [1.5263555967568516]]),
          "db": 0.01489636562389246}, 0.9361001241599733),
    ),
    Case(
        "a single feature, 5 examples · 只有一个特征，5 个样本",
        (np.array([[1.5]]), 0.5, np.array([[-2.0, -1.0, 0.0, 1.0, 2.0]]),
         np.array([[0.0, 0.0, 1.0, 1.0, 1.0]])),
        ({"dw": np.array([[-0.11969703298746252]]), "db": -0.03625124403607616},
         0.2045813670612945),
    ),
]

# Each case starts where a case of propagate does, so that a mistake that never moves
# can be predicted from that case's right answer.
OPTIMIZE_CASES = [
    Case(
        "the example of the notes: 100 iterations, learning rate 0.009 · "
        "笔记中的例子：迭代 100 次，学习率 0.009",
        (_W, _B, _X, _Y, 100, 0.009),
        ({"w": np.array([[0.19033590888604332], [0.1225915924656141]]), "b": 1.9253598300845747},
         {"dw": np.array([[0.6775204222153582], [1.416254952638088]]), "db": 0.21919450454067657},
         [5.801545319394553]),
    ),
    Case(
        "one iteration: a single step of gradient descent · 只迭代一次：梯度下降走一步",
        (_W, _B, _X, _Y, 1, 0.1),
        ({"w": np.array([[0.9001543985362044], [1.7604927611513792]]), "b": 1.9998544421863216},
         {"dw": np.array([[0.9984560146379561], [2.395072388486207]]), "db": 0.001455578136784208},
         [5.801545319394553]),
    ),
    Case(
        "learning rate 0: w and b must not move · 学习率为 0：w 和 b 都不应改变",
        (_W_WIDE, _B_WIDE, _X_WIDE, _Y_WIDE, 3, 0.0),
        ({"w": np.array([[0.5], [-0.25], [1.0], [0.0]]), "b": -0.5},
         {"dw": np.array([[-0.2814369343531424], [-0.4593963155894447],
                          [0.30005739138300797], [1.5263555967568516]]),
          "db": 0.01489636562389246},
         [0.9361001241599733]),
    ),
    Case(
        "from zeros, 250 iterations: costs at iterations 0, 100 and 200 · "
        "从零开始迭代 250 次：记录第 0、100、200 次的代价",
        (np.zeros((3, 1)), 0.0, _X_ZERO, _Y_ZERO, 250, 0.5),
        ({"w": np.array([[2.8448674766731625], [1.238039145626819], [-3.497639739861854]]),
          "b": -0.6969505001833114},
         {"dw": np.array([[-0.00500929362687666], [-0.002783385908259479],
                          [0.007248458671403092]]),
          "db": 0.0005980782121863511},
         [0.6931471805599453, 0.02634373189584306, 0.013298514187034214]),
    ),
]

# Labels are compared exactly, whatever their dtype (float, int or bool).
_LABELS = {"rtol": 0.0, "atol": 0.0, "check_dtype": False}

PREDICT_CASES = [
    Case(
        "the example of the notes · 笔记中的例子",
        (np.array([[0.1124579], [0.23106775]]), -0.3,
         np.array([[1.0, -1.1, -3.2], [1.2, 2.0, 0.1]])),
        [[1.0, 1.0, 0.0]], **_LABELS,
    ),
    Case(
        "w = 0 and b = 0: every activation is exactly 0.5, which is not > 0.5 · "
        "w = 0、b = 0：每个激活值都恰好是 0.5，并不大于 0.5",
        (np.zeros((2, 1)), 0.0, np.array([[1.0, -1.0, 2.0, 0.0], [0.5, 3.0, -2.0, 1.0]])),
        [[0.0, 0.0, 0.0, 0.0]], **_LABELS,
    ),
    Case(
        "3 features, 5 examples · 3 个特征，5 个样本",
        (np.array([[1.0], [-2.0], [0.5]]), 0.25,
         np.array([[1.0, 0.0, -1.0, 2.0, 0.5], [0.5, 1.0, -0.5, 1.0, 0.0],
                   [2.0, -1.0, 0.0, 1.0, -3.0]])),
        [[1.0, 0.0, 1.0, 1.0, 0.0]], **_LABELS,
    ),
    Case(
        "a single example · 只有一个样本",
        (np.array([[-1.0], [0.5], [2.0]]), -0.5, np.array([[1.0], [2.0], [0.5]])),
        [[1.0]], **_LABELS,
    ),
]

MODEL_CASES = [
    Case(
        "2 features, 6 training and 3 test examples, 200 iterations · "
        "2 个特征，6 个训练样本和 3 个测试样本，迭代 200 次",
        (np.array([[1.0, 2.0, 0.5, -1.0, -2.0, -0.5], [0.5, 1.5, 2.0, -1.0, -0.5, -2.0]]),
         np.array([[1, 1, 1, 0, 0, 0]]),
         np.array([[1.5, -1.5, 0.2], [1.0, -1.0, -0.6]]), np.array([[1, 0, 0]]), 200, 0.1),
        {"costs": [0.6931471805599453, 0.047529491962482025],
         "Y_prediction_test": np.array([[1.0, 0.0, 0.0]]),
         "Y_prediction_train": np.array([[1.0, 1.0, 1.0, 0.0, 0.0, 0.0]]),
         "w": np.array([[1.6986541189891675], [1.7023599501239108]]),
         "b": 0.05735253559957751, "learning_rate": 0.1, "num_iterations": 200},
        check_dtype=False,
    ),
    Case(
        "3 features, 5 training and 2 test examples, 101 iterations · "
        "3 个特征，5 个训练样本和 2 个测试样本，迭代 101 次",
        (np.array([[0.0, 1.0, 0.0, 1.0, 0.5], [1.0, 0.0, 0.0, 1.0, 0.5],
                   [0.5, 0.5, 1.0, 0.0, 0.0]]),
         np.array([[1.0, 1.0, 0.0, 1.0, 0.0]]),
         np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0]]), 101, 0.5),
        {"costs": [0.6931471805599453, 0.44557572940003026],
         "Y_prediction_test": np.array([[1.0, 0.0]]),
         "Y_prediction_train": np.array([[1.0, 1.0, 0.0, 1.0, 1.0]]),
         "w": np.array([[1.8637801546073518], [1.8637801546073518], [0.15931178499014076]]),
         "b": -1.2781819799799767, "learning_rate": 0.5, "num_iterations": 101},
        check_dtype=False,
    ),
]


# The public cases of each graded function, in the notebook's order.
CASES: dict[str, list[Case]] = {
    "flatten_and_scale": FLATTEN_AND_SCALE_CASES,
    "sigmoid": SIGMOID_CASES,
    "initialize_with_zeros": INITIALIZE_WITH_ZEROS_CASES,
    "propagate": PROPAGATE_CASES,
    "optimize": OPTIMIZE_CASES,
    "predict": PREDICT_CASES,
    "model": MODEL_CASES,
}


# The lines of the lesson that explain each mistake, as the notebook words them.
FLATTEN_LINE = Lesson(
    2, "`X.reshape(X.shape[0], -1).T` flattens each image into a column: shape "
       "`(num_px * num_px, m)`, one example per column.",
    "`X.reshape(X.shape[0], -1).T` 把每幅图像展平成一列：形状为 `(num_px * num_px, m)`，"
    "每列一个样本。")
WITHOUT_T = Lesson(
    2, "`X.reshape(num_px * num_px, m)` without `.T` has the right shape but the wrong numbers: "
       "it mixes pixels of different images in one column.",
    "不加 `.T` 的 `X.reshape(num_px * num_px, m)` 形状对，数值却错了："
    "它把不同图像的像素混进同一列。")
SCALE_BY_16 = Lesson(
    2, "Divide by 16, the largest value a pixel can take, not by the largest value of this batch: "
       "the training set, the test set and any new image must be scaled the same way.",
    "除以像素可能取到的最大值 16，而不是这批数据中的最大值："
    "训练集、测试集和任何新图像都必须用同样的方式缩放。")
NOT_255 = Lesson(
    2, "These pixels count from 0 to 16, not from 0 to 255 as in a photo.",
    "这些像素的取值是 0 到 16，而不是照片中的 0 到 255。")
USE_THE_SHAPE = Lesson(
    2, "Use `images.shape`, not the numbers of this data set: the function must work for "
       "images of any size.",
    "使用 `images.shape`，不要写死这个数据集的数字：函数必须适用于任意大小的图像。")
SIGMOID_FORMULA = Lesson(3, "σ(z) = 1 / (1 + e^(−z))", anchor=r"\sigma(z) = \frac{1}{1 + e^{-z}}")
NP_EXP = Lesson(
    3, "`np.exp` works element-wise on a whole array; `math.exp` takes one number.",
    "`np.exp` 逐元素作用于整个数组；`math.exp` 只接受一个数。")
ZEROS_SHAPES = Lesson(
    4, "`w` is a column vector of zeros, of shape `(dim, 1)`; `b` is the number `0.0`, not an "
       "array.",
    "`w` 是全零的列向量，形状为 `(dim, 1)`；`b` 是数字 `0.0`，不是数组。")
TRANSPOSE_W = Lesson(
    5, "`w` has shape `(n, 1)`: transpose it, `np.dot(w.T, X)`, to multiply it with `X` of shape "
       "`(n, m)`.",
    "`w` 的形状是 `(n, 1)`：要先转置，`np.dot(w.T, X)`，才能与形状为 `(n, m)` 的 `X` 相乘。")
COST_FORMULA = Lesson(
    5, "J = −(1/m) Σᵢ (y⁽ⁱ⁾ log a⁽ⁱ⁾ + (1 − y⁽ⁱ⁾) log(1 − a⁽ⁱ⁾))",
    anchor=r"J = -\frac{1}{m}\sum_{i=1}^{m}\left(y^{(i)}\log a^{(i)} + "
           r"(1-y^{(i)})\log\left(1-a^{(i)}\right)\right)")
GRADIENT_FORMULA = Lesson(
    5, "∂J/∂w = (1/m) X (A − Y)ᵀ, ∂J/∂b = (1/m) Σᵢ (a⁽ⁱ⁾ − y⁽ⁱ⁾)",
    anchor=r"\frac{\partial J}{\partial w} = \frac{1}{m} X (A - Y)^T")
AVERAGES = Lesson(
    5, "Every sum over the examples is divided by m: the cost and the gradients are averages.",
    "对样本求和之后都要除以 m：代价和梯度都是平均值。")
M_IS_EXAMPLES = Lesson(
    5, "`m = X.shape[1]` is the number of examples (the columns of `X`), not `X.shape[0]`, the "
       "number of features.",
    "`m = X.shape[1]` 是样本数（`X` 的列数），而不是特征数 `X.shape[0]`。")
GRADIENT_SHAPES = Lesson(
    5, "`dw` has the shape of `w`, `(n, 1)`; `db` and `cost` are numbers.",
    "`dw` 与 `w` 形状相同，为 `(n, 1)`；`db` 和 `cost` 都是数。")
COST_A_NUMBER = Lesson(
    5, "If the cost comes out as an array of one element, `np.squeeze(cost)` or `float(cost)` "
       "makes it a number.",
    "如果 cost 是只有一个元素的数组，用 `np.squeeze(cost)` 或 `float(cost)` 把它变成一个数。")
DOWNHILL = Lesson(
    6, "Gradient descent steps against the gradient: `w = w - learning_rate * dw`.",
    "梯度下降沿梯度的反方向走：`w = w - learning_rate * dw`。")
BOTH_PARAMETERS = Lesson(
    6, "Update both parameters, `w` and `b`, at every iteration.",
    "每次迭代都要同时更新 `w` 和 `b` 两个参数。")
NEW_ARRAY = Lesson(
    6, "`w = w - learning_rate * dw` makes a new array; `w -= learning_rate * dw` would change the "
       "caller's `w` in place.",
    "`w = w - learning_rate * dw` 生成新数组；`w -= learning_rate * dw` 会原地改动调用者的 `w`。")
EVERY_100 = Lesson(
    6, "Record the cost every 100 iterations (`if i % 100 == 0`), not at every iteration.",
    "每 100 次迭代记录一次代价（`if i % 100 == 0`），而不是每次都记录。")
THRESHOLD = Lesson(
    7, "Predict 1 when the activation is greater than 0.5 (`A > 0.5`), else 0",
    "激活值大于 0.5（`A > 0.5`）时预测 1，否则预测 0")
PREDICTION_SHAPE = Lesson(
    7, "`Y_prediction` has shape `(1, m)`, like `Y`.",
    "`Y_prediction` 的形状为 `(1, m)`，与 `Y` 相同。")


# What a mistake returns, from the case's inputs and its right answer.

def _either(*predictions: Callable[[Call], Prediction]) -> Callable[[Call], Prediction]:
    """The mistake can be written several ways, each returning one of these."""
    return lambda call: tuple(predict(call) for predict in predictions)


def _examples(call: Call) -> int:
    """m, the number of examples: the columns of X, propagate's third argument."""
    return np.shape(call.args[2])[1]


# A change of the right dw, db and cost, given the case: (dw, db, cost) -> the mistake's.
Change = Callable[[np.ndarray, float, float, Call], tuple]


def _propagate_as(change: Change) -> Callable[[Call], Prediction]:
    """A mistake of propagate, as a change of the right ``dw``, ``db`` and ``cost``."""

    def prediction(call: Call) -> Prediction:
        grads, cost = call.want
        dw, db, cost = change(np.asarray(grads["dw"]), float(grads["db"]), float(cost), call)
        return Returns(({"dw": dw, "db": db}, cost))

    return prediction


def _w_not_transposed(call: Call) -> Prediction:
    """np.dot(w, X): (n, 1) times (n, m) only works, and is right, for a single feature."""
    return CORRECT if np.shape(call.args[0])[0] == 1 else Raises(frozenset({"ValueError"}))


def _iterations(call: Call) -> int:
    """optimize's num_iterations in this call (100, its default, if not given)."""
    return call.args[4] if len(call.args) > 4 else 100


def _learning_rate(call: Call) -> float:
    """optimize's learning_rate in this call (0.009, its default, if not given)."""
    return call.args[5] if len(call.args) > 5 else 0.009


def _ascends(call: Call) -> Prediction:
    """`w += learning_rate * dw`: after one step, 2·w₀ − w₁ where the right step gives w₁.

    After more steps the mistake's path is its own, unknown here; with a learning
    rate of 0 it makes no difference. ``w += …`` also writes into the caller's ``w``.
    """
    if _learning_rate(call) == 0:
        return CORRECT
    if _iterations(call) != 1:
        return UNKNOWN
    (params, grads, costs), (w, b) = call.want, call.args[:2]
    wrong = {"w": 2 * np.asarray(w, dtype=float) - params["w"], "b": 2 * b - params["b"]}
    return (Returns((wrong, grads, costs)),
            Returns((wrong, grads, costs), args_after=(wrong["w"], *call.args[1:])))


def _b_left_alone(call: Call) -> Prediction:
    """b never updated: after one step, the right w and the first b (more steps: unknown)."""
    if _learning_rate(call) == 0:
        return CORRECT
    if _iterations(call) != 1:
        return UNKNOWN
    params, grads, costs = call.want
    return Returns(({"w": params["w"], "b": call.args[1]}, grads, costs))


def _never_moves(call: Call) -> Prediction:
    """w and b never updated: every iteration is the first, at the starting point."""
    grads, cost = Call(call.args[:4], None, call.answers).answer("propagate")
    costs = call.want[2]
    return Returns(({"w": call.args[0], "b": call.args[1]}, grads, [cost] * len(costs)))


def _cost_of_every_iteration(call: Call) -> Prediction:
    """Every cost kept: known where the cost never changes (a learning rate of 0)."""
    if _iterations(call) <= 1:
        return CORRECT
    if _learning_rate(call) != 0:
        return UNKNOWN
    params, grads, costs = call.want
    return Returns((params, grads, [costs[0]] * _iterations(call)))


def _into_callers_w(call: Call) -> Prediction:
    """`w -= learning_rate * dw`: the right results, and the caller's w left at the last one."""
    w = call.args[0]
    if not (isinstance(w, np.ndarray) and w.dtype.kind == "f"):
        return UNKNOWN
    return Returns(call.want, args_after=(np.asarray(call.want[0]["w"]), *call.args[1:]))


def _half_is_one(call: Call) -> Prediction:
    """`A >= 0.5`: 1 instead of 0 where an activation is exactly 0.5, that is where z = 0."""
    w, b, X = call.args
    z = np.dot(np.asarray(w, dtype=float).T, X) + b
    near = np.abs(z) < 1e-9
    if not near.any():
        return CORRECT
    if (near & (z != 0)).any():  # rounding decides which side these fall
        return UNKNOWN
    return Returns(np.where(near, 1.0, np.asarray(call.want, dtype=float)))


def _only_for_pixels(count: int) -> Callable[[Call], Prediction]:
    """A reshape to this data set's numbers: right for images of that many pixels, else an error."""
    return lambda call: CORRECT if np.size(call.args[0][0]) == count else Raises(
        frozenset({"ValueError"}))


def _with_b(make: Callable[[Any], Any]) -> Callable[[Call], Prediction]:
    """The right model, its b replaced."""
    return lambda call: Returns({**call.want, "b": make(call.want["b"])})


# propagate and predict both compute wᵀX + b.
W_NOT_TRANSPOSED = Misconception(
    "w_not_transposed",
    "transpose w: np.dot(w.T, X), not np.dot(w, X); w has shape (n, 1) and X (n, m) · "
    "要转置 w：np.dot(w.T, X)，而不是 np.dot(w, X)；w 的形状是 (n, 1)，X 是 (n, m)",
    _w_not_transposed, TRANSPOSE_W)

MISCONCEPTIONS: dict[str, list[Misconception]] = {
    "flatten_and_scale": [
        Misconception(
            "batch_max",
            "divide by 16, the largest value a pixel can take, not by the largest value of this "
            "batch (X.max()) · 应除以像素的最大可能值 16，而不是这批数据中的最大值（X.max()）",
            from_answer(lambda want, images: want * 16 / np.max(images)), SCALE_BY_16),
        Misconception(
            "by_255",
            "divide by 16: these pixels go from 0 to 16, not to 255 · "
            "应除以 16：这些像素的取值是 0 到 16，而不是到 255",
            from_answer(lambda want, images: want * 16 / 255), NOT_255),
        Misconception(
            "not_scaled",
            "scale the pixels: divide them by 16, so that every value lies between 0 and 1 · "
            "还要缩放像素：除以 16，使每个值都在 0 和 1 之间",
            from_answer(lambda want, images: want * 16), SCALE_BY_16),
        Misconception(
            "floor_division",
            "divide with /, not //, which rounds down to 0 or 1 · "
            "用 / 做除法，不要用 //（它会向下取整成 0 或 1）",
            from_answer(lambda want, images: np.floor(want))),
        Misconception(
            "wrong_order",
            "flatten with images.reshape(images.shape[0], -1).T: reshape(num_px * num_px, m) "
            "without .T mixes pixels of different images in one column · "
            "请用 images.reshape(images.shape[0], -1).T：不加 .T 的 reshape(num_px * num_px, m) "
            "会把不同图像的像素混进同一列",
            from_answer(lambda want, images: want.T.reshape(want.shape)), WITHOUT_T),
        Misconception(
            "examples_as_rows",
            "transpose: one example per column, shape (num_px * num_px, m), not one per row · "
            "还要转置：每列一个样本，形状 (num_px * num_px, m)，而不是每行一个",
            from_answer(lambda want, images: want.T), FLATTEN_LINE),
        Misconception(
            "hard_coded_64",
            "use images.shape: your reshape has this data set's 64 pixels, which other images do "
            "not have · 请使用 images.shape：你的 reshape 写死了这个数据集的 64 个像素，"
            "其他图像并非如此",
            _only_for_pixels(64), USE_THE_SHAPE),
    ],
    "sigmoid": [
        Misconception(
            "math_exp",
            "use np.exp, not math.exp: math.exp takes one number, np.exp works on every element "
            "of an array · 用 np.exp 代替 math.exp：math.exp 只接受一个数，np.exp 对数组逐元素运算",
            MATH_ON_ARRAYS.predict, NP_EXP),
        Misconception(
            "exp_sign",
            "return σ(z), not σ(−z) = 1 − σ(z): σ(z) = 1 / (1 + e^(−z)), with a minus in the "
            "exponent · 应返回 σ(z) 而不是 σ(−z) = 1 − σ(z)：σ(z) = 1 / (1 + e^(−z))，指数带负号",
            EXP_SIGN.predict, SIGMOID_FORMULA),
        Misconception(
            "exp_only",
            "divide: σ(z) = 1 / (1 + e^(−z)); you return e^(−z) itself · "
            "还要做除法：σ(z) = 1 / (1 + e^(−z))；你返回的是 e^(−z) 本身",
            EXP_ONLY.predict, SIGMOID_FORMULA),
        Misconception(
            "returns_input",
            "compute σ(z) and return it: sigmoid returns its input unchanged · "
            "请计算并返回 σ(z)：sigmoid 原样返回了输入",
            runs(lambda z: z), SIGMOID_FORMULA),
    ],
    "initialize_with_zeros": [
        Misconception(
            "flat_w",
            "give w the shape (dim, 1), a column vector: np.zeros(dim) is a 1-D array (dim,) · "
            "w 的形状应为 (dim, 1)（列向量）：np.zeros(dim) 是形状为 (dim,) 的一维数组",
            lambda call: Returns((np.ravel(call.want[0]), call.want[1])), ZEROS_SHAPES),
        Misconception(
            "row_w",
            "make w a column (dim, 1), not a row (1, dim) · "
            "w 应为列向量 (dim, 1)，而不是行向量 (1, dim)",
            lambda call: Returns((np.reshape(call.want[0], (1, -1)), call.want[1])), ZEROS_SHAPES),
        Misconception(
            "b_array",
            "make b the number 0.0, not an array (np.zeros(1) or np.zeros((1, 1))) · "
            "b 应为数字 0.0，而不是数组（np.zeros(1) 或 np.zeros((1, 1))）",
            lambda call: Returns((call.want[0], OneElement(0.0))), ZEROS_SHAPES),
    ],
    "propagate": [
        Misconception(
            "no_1_over_m",
            "divide by m: the cost and the gradients are averages over the m examples · "
            "要除以 m：代价和梯度都是对 m 个样本的平均",
            _either(
                _propagate_as(lambda dw, db, cost, call: (dw * _examples(call),
                                                          db * _examples(call),
                                                          cost * _examples(call))),
                _propagate_as(lambda dw, db, cost, call: (dw * _examples(call),
                                                          db * _examples(call), cost)),
                _propagate_as(lambda dw, db, cost, call: (dw, db, cost * _examples(call)))),
            AVERAGES),
        Misconception(
            "m_is_features",
            "take m = X.shape[1], the number of examples, not X.shape[0], the number of features · "
            "m 应为样本数 X.shape[1]，而不是特征数 X.shape[0]",
            _propagate_as(lambda dw, db, cost, call: tuple(
                v * _examples(call) / np.shape(call.args[2])[0] for v in (dw, db, cost))),
            M_IS_EXAMPLES),
        W_NOT_TRANSPOSED,
        Misconception(
            "cost_sign",
            "put the minus sign in front: J = −(1/m) Σ(y log a + (1 − y) log(1 − a)) is positive · "
            "前面要有负号：J = −(1/m) Σ(y log a + (1 − y) log(1 − a)) 是正数",
            _propagate_as(lambda dw, db, cost, call: (dw, db, -cost)), COST_FORMULA),
        Misconception(
            "gradient_sign",
            "use A − Y in the gradients, not Y − A: dw = (1/m) X (A − Y)ᵀ, db = (1/m) Σ(A − Y) · "
            "梯度中要用 A − Y 而不是 Y − A：dw = (1/m) X (A − Y)ᵀ，db = (1/m) Σ(A − Y)",
            _propagate_as(lambda dw, db, cost, call: (-dw, -db, cost)), GRADIENT_FORMULA),
        Misconception(
            "dw_transposed",
            "give dw the shape of w, (n, 1): np.dot(X, (A - Y).T), not np.dot(A - Y, X.T) · "
            "dw 的形状应与 w 相同，为 (n, 1)：np.dot(X, (A - Y).T)，而不是 np.dot(A - Y, X.T)",
            _propagate_as(lambda dw, db, cost, call: (dw.T, db, cost)), GRADIENT_SHAPES),
        Misconception(
            "db_array",
            "make db a number: drop keepdims=True, or use float(...) · "
            "db 应为一个数：去掉 keepdims=True，或用 float(...)",
            _propagate_as(lambda dw, db, cost, call: (dw, OneElement(db), cost)),
            GRADIENT_SHAPES),
        Misconception(
            "cost_array",
            "return the cost as a number, not an array of one element: np.squeeze(cost) or "
            "float(cost) · cost 应为一个数，而不是只有一个元素的数组："
            "用 np.squeeze(cost) 或 float(cost)",
            _propagate_as(lambda dw, db, cost, call: (dw, db, OneElement(cost))), COST_A_NUMBER),
    ],
    "optimize": [
        Misconception(
            "ascends",
            "step against the gradient: w = w - learning_rate * dw (and the same for b), not + · "
            "要沿梯度的反方向走：w = w - learning_rate * dw（b 也一样），不是 +",
            _ascends, DOWNHILL),
        Misconception(
            "b_not_updated",
            "update b too: b = b - learning_rate * db, at every iteration · "
            "也要更新 b：每次迭代都要 b = b - learning_rate * db",
            _b_left_alone, BOTH_PARAMETERS),
        Misconception(
            "never_updated",
            "update w and b at every iteration, and keep the result: w = w - learning_rate * dw "
            "(your w and b never move) · 每次迭代都要更新 w 和 b 并保存结果："
            "w = w - learning_rate * dw（你的 w 和 b 从未改变）",
            _never_moves, BOTH_PARAMETERS),
        Misconception(
            "every_iteration",
            "record the cost every 100 iterations (if i % 100 == 0), not at every iteration · "
            "每 100 次迭代记录一次代价（if i % 100 == 0），而不是每次都记录",
            _cost_of_every_iteration, EVERY_100),
        Misconception(
            "in_place",
            "leave the caller's w as it is: write w = w - learning_rate * dw, not w -= … · "
            "不要改动调用者的 w：写 w = w - learning_rate * dw，不要写 w -= …",
            _into_callers_w, NEW_ARRAY),
    ],
    "predict": [
        W_NOT_TRANSPOSED,
        Misconception(
            "half_is_one",
            "predict 1 only when the activation is greater than 0.5 (A > 0.5): at exactly 0.5, "
            "predict 0 · 只有激活值大于 0.5（A > 0.5）时才预测 1：恰好等于 0.5 时预测 0",
            _half_is_one, THRESHOLD),
        Misconception(
            "flat",
            "return shape (1, m), like Y: yours is a 1-D array (m,) · "
            "应返回形状 (1, m)，与 Y 相同：你的结果是一维数组 (m,)",
            from_answer(lambda want, *args: np.ravel(want)), PREDICTION_SHAPE),
        Misconception(
            "inverted",
            "predict 1 when the activation is greater than 0.5, 0 otherwise: your labels are the "
            "other way round · 激活值大于 0.5 时预测 1，否则预测 0：你的标签正好反了",
            from_answer(lambda want, *args: 1 - want), THRESHOLD),
    ],
    "model": [
        Misconception(
            "b_array",
            "keep b a number: initialise it as 0.0, not as an array, and keep db a number · "
            "b 应始终是一个数：初始化为 0.0 而不是数组，db 也应是一个数",
            _with_b(lambda b: OneElement(float(b))), ZEROS_SHAPES),
    ],
}
for _function, _catalogue in MISCONCEPTIONS.items():
    _catalogue += stub_misconceptions(_function)

# Predicted labels must be exact; whether 0 and 1 are floats, ints or bools does not matter.
_EXACT_LABELS = Tolerance(rtol=0.0, atol=0.0, check_dtype=False)

ASSIGNMENT = Assignment(
    "02_logistic_regression",
    cases=CASES,
    tolerances={
        "predict": _EXACT_LABELS,
        "model": {'["Y_prediction_test"]': _EXACT_LABELS,
                  '["Y_prediction_train"]': _EXACT_LABELS},
    },
    misconceptions=MISCONCEPTIONS,
    data_files=(DIGITS,),
)
# The hidden test cells' recorder: this assignment's public cases beside the hidden inputs.
record = recorder(CASES)
public_answer = ASSIGNMENT.public_answer
_public_check = ASSIGNMENT.public_check

flatten_and_scale_test = _public_check(
    "flatten_and_scale", "Check ``flatten_and_scale``: one example per column, pixels / 16.")
sigmoid_test = _public_check("sigmoid", "Check ``sigmoid`` on numbers, rows and matrices.")
initialize_with_zeros_test = _public_check(
    "initialize_with_zeros", "Check ``initialize_with_zeros``: w of zeros (dim, 1), b = 0.0.")
propagate_test = _public_check(
    "propagate", "Check ``propagate``: the gradients dw, db and the cost.")
optimize_test = _public_check(
    "optimize", "Check ``optimize``: the learned parameters, last gradients and recorded costs.")
predict_test = _public_check("predict", "Check ``predict``: labels 0 or 1 of shape (1, m).")
model_test = _public_check("model", "Check ``model``: the whole training, on small data sets.")

# In a notebook, a cell that uses an exercise's function before its answer cell ran
# (or when that cell failed) says so, instead of a bare NameError.
explain_undefined_names(CASES)
