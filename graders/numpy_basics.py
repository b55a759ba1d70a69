"""Public checks for notebook 01, "NumPy basics for deep learning".

Each check is called with the student's function, e.g.
``sigmoid_derivative_test(sigmoid_derivative)``. The expected values below are
literal numbers on purpose: this module is installed on students' machines and
must not contain a working implementation of any graded function.

Beside the cases, :data:`MISCONCEPTIONS` lists, per function, the mistakes
students commonly make, what each returns (a small NumPy function making the
mistake, or a relation to the right answer: never the right answer itself), what
to fix and the line of the lesson that explains it. A failing check names the
one that explains its failures, if any (``graders.diagnoses``); the out-of-kernel
verdicts do the same for hidden cases.
"""

from collections.abc import Callable
from typing import Any

import numpy as np

from .assignments import Assignment
from .compare import Case
from .diagnoses import (
    CORRECT,
    UNKNOWN,
    UNNAMED_ERROR,
    Call,
    Kind,
    Lesson,
    Misconception,
    OneElement,
    Prediction,
    Raises,
    Returns,
    always,
    from_answer,
    runs,
    stub_misconceptions,
)
from .record import recorder
from .undefined import explain_undefined_names
from .values import Tolerance

__all__ = [
    "L1_test",
    "L2_test",
    "basic_sigmoid_test",
    "image2vector_test",
    "normalize_rows_test",
    "sigmoid_derivative_test",
    "sigmoid_test",
    "softmax_test",
]

BASIC_SIGMOID_CASES = [
    Case("x = 1, the example from the notes · 笔记中的例子 x = 1", (1,), 0.7310585786300049),
    Case("x = 0, the midpoint · 中点 x = 0", (0,), 0.5),
    Case("negative x = −3 · 负数 x = −3", (-3,), 0.04742587317756678),
    Case("a fraction, x = 2.5 · 小数 x = 2.5", (2.5,), 0.9241418199787566),
    Case("large x = 20 · 较大的 x = 20", (20,), 0.9999999979388463),
    Case("very negative x = −20 · 很小的 x = −20", (-20,), 2.0611536181902037e-09),
]

SIGMOID_CASES = [
    Case("a scalar, x = 1 · 标量 x = 1", (1,), 0.7310585786300049),
    Case(
        "the integer vector [1, 2, 3] from the notes · 笔记中的整数向量 [1, 2, 3]",
        (np.array([1, 2, 3]),),
        [0.7310585786300049, 0.8807970779778823, 0.9525741268224334],
    ),
    Case(
        "a 2×3 matrix with negative values · 含负数的 2×3 矩阵",
        (np.array([[-1.0, 0.0, 1.0], [-5.0, 5.0, 0.5]]),),
        [
            [0.2689414213699951, 0.5, 0.7310585786300049],
            [0.0066928509242848554, 0.9933071490757153, 0.6224593312018546],
        ],
    ),
    Case(
        "large values [−30, 30] · 绝对值很大的输入 [−30, 30]",
        (np.array([-30.0, 30.0]),),
        [9.357622968839299e-14, 0.9999999999999065],
    ),
    Case(
        "a column vector of shape (3, 1) · 形状为 (3, 1) 的列向量",
        (np.array([[0.0], [2.0], [-2.0]]),),
        [[0.5], [0.8807970779778823], [0.11920292202211755]],
    ),
]

SIGMOID_DERIVATIVE_CASES = [
    Case(
        "the vector [1, 2, 3] from the notes · 笔记中的向量 [1, 2, 3]",
        (np.array([1, 2, 3]),),
        [0.19661193324148185, 0.10499358540350662, 0.045176659730912],
    ),
    Case("x = 0, where the slope is largest · x = 0，斜率最大处", (0.0,), 0.25),
    Case(
        "a 2×2 matrix · 2×2 矩阵",
        (np.array([[-2.0, 0.0], [0.5, 4.0]]),),
        [[0.1049935854035065, 0.25], [0.2350037122015945, 0.017662706213291107]],
    ),
    Case(
        "far from 0: the slope vanishes · 远离 0 时斜率趋于消失",
        (np.array([-20.0, 20.0]),),
        [2.0611536181902037e-09, 2.0611536181902037e-09],
        rtol=1e-4,
    ),
]

_NOTES_IMAGE = [
    [[0.67826139, 0.29380381], [0.90714982, 0.52835647], [0.4215251, 0.45017551]],
    [[0.92814219, 0.96677647], [0.85304703, 0.52351845], [0.19981397, 0.27417313]],
    [[0.60659855, 0.00533165], [0.10820313, 0.49978937], [0.34144279, 0.94630077]],
]
_RECTANGULAR_IMAGE = np.arange(24, dtype=float).reshape(4, 2, 3) / 10

IMAGE2VECTOR_CASES = [
    Case(
        "the 3×3×2 image from the notes · 笔记中的 3×3×2 图像",
        (np.array(_NOTES_IMAGE),),
        [[value] for row in _NOTES_IMAGE for pixel in row for value in pixel],
    ),
    Case(
        "a 4×2×3 image: length, height and depth all differ · 长、高、深各不相同的 4×2×3 图像",
        (_RECTANGULAR_IMAGE,),
        [[value / 10] for value in range(24)],
    ),
    Case(
        "one RGB pixel of shape (1, 1, 3), integers · 形状 (1, 1, 3) 的单个整数 RGB 像素",
        (np.array([[[255, 128, 0]]], dtype=np.uint8),),
        [[255], [128], [0]],
        check_dtype=False,
        dtype="uint8",
    ),
]

NORMALIZE_ROWS_CASES = [
    Case(
        "the integer matrix from the notes · 笔记中的整数矩阵",
        (np.array([[0, 3, 4], [1, 6, 4]]),),
        [[0.0, 0.6, 0.8], [0.13736056394868904, 0.8241633836921342, 0.5494422557947561]],
    ),
    Case(
        "a square matrix, where rows and columns are easy to confuse · 方阵：容易混淆行与列",
        (np.array([[3.0, 4.0], [0.0, 2.0]]),),
        [[0.6, 0.8], [0.0, 1.0]],
    ),
    Case(
        "a 3×2 matrix with negative values · 含负数的 3×2 矩阵",
        (np.array([[-1.0, 1.0], [2.0, -2.0], [-3.0, -4.0]]),),
        [
            [-0.7071067811865475, 0.7071067811865475],
            [0.7071067811865475, -0.7071067811865475],
            [-0.6, -0.8],
        ],
    ),
    Case(
        "a single row · 只有一行",
        (np.array([[1.0, 2.0, 2.0]]),),
        [[0.3333333333333333, 0.6666666666666666, 0.6666666666666666]],
    ),
]

SOFTMAX_CASES = [
    Case(
        "the integer matrix from the notes · 笔记中的整数矩阵",
        (np.array([[9, 2, 5, 0, 0], [7, 5, 0, 0, 0]]),),
        [
            [
                0.9808976649146187,
                0.0008944628906901777,
                0.017965767417378736,
                0.00012105238865619453,
                0.00012105238865619453,
            ],
            [
                0.87867985588699,
                0.11891638717077183,
                0.0008012523140793875,
                0.0008012523140793875,
                0.0008012523140793875,
            ],
        ],
    ),
    Case(
        "a square matrix, where rows and columns are easy to confuse · 方阵：容易混淆行与列",
        (np.array([[1.0, 2.0], [3.0, 4.0]]),),
        [[0.2689414213699951, 0.7310585786300049], [0.2689414213699951, 0.7310585786300049]],
    ),
    Case(
        "a single row with a negative score · 含负分数的单行",
        (np.array([[-1.0, 0.0, 1.0]]),),
        [[0.09003057317038046, 0.24472847105479767, 0.6652409557748219]],
    ),
    Case(
        "a 3×4 matrix, one row of equal scores · 3×4 矩阵，其中一行分数相同",
        (np.array([[5.0, 5.0, 5.0, 5.0], [0.0, 1.0, 2.0, 3.0], [-2.0, -2.0, -2.0, 10.0]]),),
        [
            [0.25, 0.25, 0.25, 0.25],
            [0.03205860328008499, 0.08714431874203257, 0.23688281808991016, 0.6439142598879724],
            [6.144099101379414e-06, 6.144099101379414e-06, 6.144099101379414e-06,
             0.9999815677026959],
        ],
    ),
]

_NOTES_YHAT = np.array([0.9, 0.2, 0.1, 0.4, 0.9])
_NOTES_Y = np.array([1, 0, 0, 1, 1])
_MIXED_YHAT = np.array([-1.0, 2.5, 0.0])
_MIXED_Y = np.array([1.0, 0.5, 0.0])

L1_CASES = [
    Case("the example from the notes · 笔记中的例子", (_NOTES_YHAT, _NOTES_Y), 1.1),
    Case("a perfect prediction · 完全正确的预测", (_NOTES_Y.astype(float), _NOTES_Y), 0.0),
    Case("predictions above and below the labels · 预测值有高有低", (_MIXED_YHAT, _MIXED_Y), 4.0),
    Case("integer vectors · 整数向量", (np.array([3, 1]), np.array([1, 2])), 3.0),
]

L2_CASES = [
    Case("the example from the notes · 笔记中的例子", (_NOTES_YHAT, _NOTES_Y), 0.43),
    Case("a perfect prediction · 完全正确的预测", (_NOTES_Y.astype(float), _NOTES_Y), 0.0),
    Case("predictions above and below the labels · 预测值有高有低", (_MIXED_YHAT, _MIXED_Y), 8.0),
    Case("integer vectors · 整数向量", (np.array([3, 1]), np.array([1, 2])), 5.0),
]


# The public cases of each graded function, by name: the checks below, and the
# grading pipeline's out-of-kernel verdicts, both read them from here.
CASES: dict[str, list[Case]] = {
    "basic_sigmoid": BASIC_SIGMOID_CASES,
    "sigmoid": SIGMOID_CASES,
    "sigmoid_derivative": SIGMOID_DERIVATIVE_CASES,
    "image2vector": IMAGE2VECTOR_CASES,
    "normalize_rows": NORMALIZE_ROWS_CASES,
    "softmax": SOFTMAX_CASES,
    "L1": L1_CASES,
    "L2": L2_CASES,
}


# The lines of the lesson that explain each mistake, as the notebook words them.
SIGMOID_FORMULA = Lesson(1, "σ(x) = 1 / (1 + e^(−x))", anchor=r"\sigma(x) = \frac{1}{1 + e^{-x}}")
MATH_TAKES_ONE_NUMBER = Lesson(
    2, "`math` functions take one number; `np` functions work element-wise on whole arrays, "
       "and scalars broadcast automatically.",
    "`math` 的函数只处理单个数；`np` 的函数逐元素处理整个数组，而且标量会自动广播。")
NP_EXP_EVERY_ELEMENT = Lesson(
    2, "`np.exp` takes the exponential of every element of an array",
    "`np.exp` 对数组的每一个元素求指数")
ANY_SHAPE = Lesson(
    2, "Implement `sigmoid(x)` with `np.exp()`, so that it works for a scalar, a vector and a "
       "matrix of any shape.",
    "用 `np.exp()` 实现 `sigmoid(x)`，让它对标量、向量和任意形状的矩阵都有效。")
DERIVATIVE_STEPS = Lesson(
    3, "Implement `sigmoid_derivative(x)` in two steps: first `s = sigmoid(x)`, then "
       "`ds = s * (1 - s)`.",
    "分两步：先 `s = sigmoid(x)`，再 `ds = s * (1 - s)`。")
COLUMN_VECTOR = Lesson(
    4, "The target shape needs the trailing `1`: it makes a column vector `(n, 1)`, not a 1-D "
       "array `(n,)`.",
    "目标形状的最后要写上 `1`，表示这是一个列向量 `(n, 1)`，而不是一维数组 `(n,)`。")
RESHAPE_LINE = Lesson(4, "v = v.reshape((v.shape[0] * v.shape[1] * v.shape[2], 1))")
NO_HARD_CODED_NUMBERS = Lesson(
    4, "Use `image.shape`; do not hard-code numbers.", "请使用 `image.shape`，不要写死数字。")
ROW_NORM = Lesson(
    5, "Here, normalising means dividing each row of a matrix by that row's L2 norm, so that "
       "every row becomes a vector of length 1",
    "这里的归一化是把矩阵的每一行除以该行的 L2 范数，使每一行成为长度为 1 的向量")
AXIS_1 = Lesson(
    5, "`axis=1` takes the norm along each row (one number per row).",
    "`axis=1` 表示沿着每一行求范数（一行得到一个数）。")
KEEPDIMS = Lesson(
    5, "`keepdims=True` keeps the result's shape `(2, 1)` rather than `(2,)`, so that "
       "`x / norm` divides each row by its own norm (broadcasting).",
    "`keepdims=True` 让结果的形状是 `(2, 1)` 而不是 `(2,)`；这样 `x / norm` "
    "才会把每一行除以自己的范数（广播）。")
NOT_IN_PLACE = Lesson(
    5, "Do not modify the input in place (`x /= ...`): the caller's data would change behind "
       "their back, and an integer array would raise an error.",
    "不要原地修改输入（`x /= ...`）：调用者的数据会被悄悄改掉，整数数组还会报错。")
ROWS_REMEMBER = Lesson(
    5, "Work on rows with `axis=1`; keep `keepdims=True` so that the result broadcasts against "
       "the matrix.",
    "对行操作用 `axis=1`；要让结果和原矩阵广播，用 `keepdims=True`。")
SOFTMAX_ROWS = Lesson(
    6, "softmax acts on each row: exponentiate element-wise with `np.exp`, sum each row with "
       "`np.sum(..., axis=1, keepdims=True)` (shape `(m, 1)`), then divide",
    "softmax 分别作用在每一行上：先用 `np.exp` 逐元素取指数，再用 "
    "`np.sum(..., axis=1, keepdims=True)` 求每行之和（形状 `(m, 1)`），最后相除")
ROWS_SUM_TO_1 = Lesson(6, "Each row of a softmax sums to 1.", "softmax 的每一行之和为 1。")
DOT_IS_NOT_MULTIPLY = Lesson(
    7, "`np.dot` is the matrix (or inner) product; `*` (`np.multiply`) multiplies element-wise "
       "— they differ!",
    "`np.dot` 做矩阵乘法或内积；`*`（`np.multiply`）做逐元素乘法——两者不同！")
L1_FORMULA = Lesson(
    8, "L1(ŷ, y) = Σᵢ |y⁽ⁱ⁾ − ŷ⁽ⁱ⁾|",
    anchor=r"L_1(\hat{y}, y) = \sum_{i=0}^{m-1} \lvert y^{(i)} - \hat{y}^{(i)} \rvert")
L2_FORMULA = Lesson(
    8, "L2(ŷ, y) = Σᵢ (y⁽ⁱ⁾ − ŷ⁽ⁱ⁾)²",
    anchor=r"L_2(\hat{y}, y) = \sum_{i=0}^{m-1} \bigl(y^{(i)} - \hat{y}^{(i)}\bigr)^2")


# What a mistake returns, where a one-line NumPy function cannot say it.

def _either(*predictions: Callable[[Call], Prediction]) -> Callable[[Call], Prediction]:
    """The mistake can be written several ways, each returning one of these."""
    return lambda call: tuple(predict(call) for predict in predictions)


def _math_on_arrays(call: Call) -> Prediction:
    """math.exp and friends: right on a number, TypeError on an array."""
    x = call.args[0]
    if not isinstance(x, np.ndarray) or x.ndim == 0:
        return CORRECT
    type_error = Raises(frozenset({"TypeError"}))
    if x.size == 1:  # NumPy < 2 still turns a one-element array into its number
        return type_error, Returns(float(np.ravel(call.want)[0]))
    return type_error


def _a_list(call: Call) -> Prediction:
    """A list built element by element; a number, which has no elements, cannot be looped over."""
    if np.ndim(call.args[0]) == 0:
        return Returns(Kind("list")), Raises(frozenset({"TypeError"}))
    return Returns(Kind("list"))


def _in_place(call: Call) -> Prediction:
    """Writing the result into the input: right values, but the caller's array changed."""
    x = call.args[0]
    if not isinstance(x, np.ndarray):
        return CORRECT
    want = np.asarray(call.want)
    if x.dtype.kind == "f" and want.shape == x.shape:
        return Returns(want, args_after=(want, *call.args[1:]))
    # An integer array cannot hold the result: NumPy refuses (or the answer made a copy).
    return CORRECT, Raises(frozenset({"TypeError", UNNAMED_ERROR}))


def _sigma(call: Call) -> tuple[np.ndarray]:
    """σ(x), from x and the right σ'(x) = σ(1 − σ): the root of that on x's side of 1/2."""
    x = np.asarray(call.args[0], dtype=float)
    slope = np.asarray(call.want, dtype=float)
    return (0.5 + np.sign(x) * np.sqrt(np.maximum(0.25 - slope, 0.0)),)


def _only_for_size(size: int) -> Callable[[Call], Prediction]:
    """A reshape to numbers of the example: right for an image of that size, else ValueError."""
    return lambda call: CORRECT if np.size(call.args[0]) == size else Raises(
        frozenset({"ValueError"}))


def _depth_three(call: Call) -> Prediction:
    image = call.args[0]
    if np.ndim(image) != 3:
        return UNKNOWN
    return CORRECT if image.shape[2] == 3 else Raises(frozenset({"ValueError"}))


def _other_answer(function: str, then: Callable[[Any], Any] = lambda v: v):
    """The right answer of another exercise on the same inputs (e.g. L1 for an L2)."""
    return lambda call: Returns(then(call.answer(function)))


# Mistakes any exercise can show.

def _returns_input(function: str, what: str) -> Misconception:
    return Misconception(
        "returns_input",
        f"compute {what} and return it: {function} returns its input unchanged · "
        f"请计算并返回结果：{function} 原样返回了输入",
        runs(lambda x, *rest: x))


ROUNDED = Misconception(
    "rounded",
    "don't round: σ(x) is a fraction between 0 and 1; remove round(), int(), astype(int) or // · "
    "不要取整：σ(x) 是 0 到 1 之间的小数；去掉 round()、int()、astype(int) 或 //",
    _either(from_answer(lambda want, *args: np.round(want)),
            from_answer(lambda want, *args: np.trunc(want))))
EXP_SIGN = Misconception(
    "exp_sign",
    "return σ(x), not σ(−x) = 1 − σ(x): σ(x) = 1 / (1 + e^(−x)), with a minus in the exponent · "
    "应返回 σ(x) 而不是 σ(−x) = 1 − σ(x)：σ(x) = 1 / (1 + e^(−x))，指数带负号",
    from_answer(lambda want, *args: 1 - want), SIGMOID_FORMULA)
EXP_ONLY = Misconception(
    "exp_only",
    "divide: σ(x) = 1 / (1 + e^(−x)); you return e^(−x) itself · "
    "还要做除法：σ(x) = 1 / (1 + e^(−x))；你返回的是 e^(−x) 本身",
    runs(lambda x: np.exp(-np.asarray(x, dtype=float))), SIGMOID_FORMULA)
MATH_ON_ARRAYS = Misconception(
    "math_exp",
    "use np.exp, not math.exp: math.exp takes one number, np.exp works on every element of an "
    "array · 用 np.exp 代替 math.exp：math.exp 只接受一个数，np.exp 对数组逐元素运算",
    _math_on_arrays, MATH_TAKES_ONE_NUMBER)


# The losses must return a number.
ONE_ELEMENT = Misconception(
    "one_element",
    "return a number, not an array of one element (drop keepdims, or use float(...)) · "
    "应返回一个数，而不是只有一个元素的数组（去掉 keepdims，或用 float(...)）",
    lambda call: Returns(OneElement(float(call.want))))

MISCONCEPTIONS: dict[str, list[Misconception]] = {
    "basic_sigmoid": [
        EXP_SIGN,
        EXP_ONLY,
        ROUNDED,
        _returns_input("basic_sigmoid", "σ(x)"),
        Misconception(
            "example_value",
            "compute σ(x) from x: your function returns σ(1) = 0.7310585786300049, the "
            "example's value, whatever x is · 请根据 x 计算：你的函数无论 x 是多少都返回例子中的 "
            "σ(1) = 0.7310585786300049",
            always(0.7310585786300049)),
    ],
    "sigmoid": [
        MATH_ON_ARRAYS,
        EXP_SIGN,
        EXP_ONLY,
        Misconception(
            "list",
            "return a NumPy array, not a list: apply np.exp to the whole array, without a loop · "
            "返回 NumPy 数组而不是列表：直接对整个数组用 np.exp，不要写循环",
            _a_list, NP_EXP_EVERY_ELEMENT),
        Misconception(
            "flattened",
            "keep the input's shape: do not ravel or flatten x, np.exp keeps the shape by itself · "
            "保持输入的形状：不要 ravel 或 flatten，np.exp 本身就保持形状",
            from_answer(lambda want, *args: want if want.ndim == 1 else np.ravel(want)),
            ANY_SHAPE),
        Misconception(
            "in_place",
            "leave x as it is: build a new array instead of writing into x (x += …, x /= …, "
            "out=x) · 不要改动 x：请生成新数组，不要写回 x（x += …、x /= …、out=x）",
            _in_place, NOT_IN_PLACE),
        ROUNDED,
        _returns_input("sigmoid", "σ(x)"),
    ],
    "sigmoid_derivative": [
        Misconception(
            "x_not_sigma",
            "apply σ first: s = sigmoid(x), then s * (1 - s); x * (1 - x) uses x itself · "
            "先求 s = sigmoid(x)，再算 s * (1 - s)；x * (1 - x) 直接用了 x",
            runs(lambda x: x * (1 - x)), DERIVATIVE_STEPS),
        Misconception(
            "plus_sign",
            "subtract: σ'(x) = s * (1 - s), with a minus, where s = sigmoid(x) · "
            "应为减号：σ'(x) = s * (1 - s)，其中 s = sigmoid(x)",
            runs(lambda s: s * (1 + s), _sigma), DERIVATIVE_STEPS),
        Misconception(
            "sigma_itself",
            "multiply s = sigmoid(x) by (1 - s): your function returns σ(x) itself · "
            "还要乘以 (1 - s)：你的函数返回的是 σ(x) 本身",
            runs(lambda s: s, _sigma), DERIVATIVE_STEPS),
        Misconception(
            "dot",
            "multiply element-wise with *, not np.dot: np.dot is a matrix (or inner) product · "
            "用 * 逐元素相乘，不要用 np.dot：np.dot 是矩阵乘法（或内积）",
            runs(lambda s: np.dot(s, 1 - s), _sigma), DOT_IS_NOT_MULTIPLY),
        MATH_ON_ARRAYS,
        _returns_input("sigmoid_derivative", "σ'(x)"),
    ],
    "image2vector": [
        Misconception(
            "flat",
            "add the trailing 1: reshape to (length*height*depth, 1), a column vector; (n,) is "
            "a 1-D array · 目标形状最后要加上 1：(length*height*depth, 1) 才是列向量，"
            "(n,) 是一维数组",
            from_answer(lambda want, image: np.ravel(want)), COLUMN_VECTOR),
        Misconception(
            "row",
            "reshape to a column (n, 1), not a row (1, n) · "
            "应变成列向量 (n, 1)，而不是行向量 (1, n)",
            from_answer(lambda want, image: np.reshape(want, (1, -1))), COLUMN_VECTOR),
        Misconception(
            "depth_kept",
            "put all three axes in the first dimension: (length*height*depth, 1), not "
            "(length*height, depth) · 三个维度都要乘进第一维：(length*height*depth, 1)，"
            "而不是 (length*height, depth)",
            runs(lambda image: image.reshape(image.shape[0] * image.shape[1], image.shape[2])),
            RESHAPE_LINE),
        Misconception(
            "example_numbers",
            "use image.shape: your reshape has the example's size, 3 × 3 × 2 = 18, which other "
            "images do not have · 使用 image.shape：你的 reshape 写死了例子的大小 3 × 3 × 2 = 18，"
            "其他图像并不是这个大小",
            _only_for_size(18), NO_HARD_CODED_NUMBERS),
        Misconception(
            "depth_three",
            "use image.shape[2] for the depth: not every image has 3 channels · "
            "深度请用 image.shape[2]：并非每张图像都有 3 个通道",
            _depth_three, NO_HARD_CODED_NUMBERS),
        Misconception(
            "transposed",
            "reshape the image as it is, without .T or order='F': the values must keep their "
            "order · 直接 reshape，不要先 .T 或用 order='F'：数值的顺序必须保持不变",
            runs(lambda image: image.T.reshape(-1, 1)), RESHAPE_LINE),
        Misconception(
            "returns_input",
            "return the reshaped array: image.reshape(...) returns a new array and leaves image "
            "as it is · 请返回 reshape 的结果：image.reshape(...) 返回新数组，image 本身不变",
            runs(lambda image: image), RESHAPE_LINE),
    ],
    "normalize_rows": [
        Misconception(
            "columns",
            "take the norm of each row, axis=1, not of each column (axis=0) · "
            "应沿 axis=1 求每一行的范数，而不是 axis=0（每一列）",
            runs(lambda x: x / np.linalg.norm(x, axis=0, keepdims=True)), AXIS_1),
        Misconception(
            "no_keepdims",
            "divide each row by its own norm, of shape (n, 1) (keepdims=True): norms of shape "
            "(n,) divide the columns, or do not broadcast at all · 每一行除以自己的范数，"
            "范数的形状应为 (n, 1)（keepdims=True）：形状为 (n,) 时会按列相除，或者根本无法广播",
            runs(lambda x: x / np.linalg.norm(x, axis=1)), KEEPDIMS),
        Misconception(
            "in_place",
            "build a new array instead of dividing x in place: x /= … changes the caller's "
            "matrix, and fails on integers · 请生成新数组，不要原地相除：x /= … "
            "会改动调用者的矩阵，整数矩阵还会出错",
            _in_place, NOT_IN_PLACE),
        Misconception(
            "whole_norm",
            "take one norm per row (axis=1, keepdims=True): np.linalg.norm(x) is one number for "
            "the whole matrix · 每一行求一个范数（axis=1, keepdims=True）："
            "np.linalg.norm(x) 是整个矩阵的一个数",
            runs(lambda x: x / np.linalg.norm(x)), AXIS_1),
        Misconception(
            "row_sum",
            "divide by each row's L2 norm √(Σ x²), not by the row's sum · "
            "应除以每一行的 L2 范数 √(Σ x²)，而不是该行之和",
            runs(lambda x: x / np.sum(x, axis=1, keepdims=True)), ROW_NORM),
        Misconception(
            "l1_norm",
            "divide by the L2 norm √(Σ x²), not by the sum of absolute values · "
            "应除以 L2 范数 √(Σ x²)，而不是绝对值之和",
            runs(lambda x: x / np.sum(np.abs(x), axis=1, keepdims=True)), ROW_NORM),
        Misconception(
            "no_sqrt",
            "take the square root: the L2 norm is √(Σ x²), not Σ x² · "
            "要开平方：L2 范数是 √(Σ x²)，而不是 Σ x²",
            runs(lambda x: x / np.sum(x ** 2, axis=1, keepdims=True)), ROW_NORM),
        Misconception(
            "floor_division",
            "divide with /, not //, which rounds down · 用 / 做除法，不要用 //（它会向下取整）",
            from_answer(lambda want, x: np.floor(want))),
        Misconception(
            "norms_returned",
            "divide x by the norms and return that: your function returns the norms themselves · "
            "请用 x 除以范数并返回结果：你的函数返回的是范数本身",
            _either(runs(lambda x: np.linalg.norm(x, axis=1, keepdims=True)),
                    runs(lambda x: np.linalg.norm(x, axis=1))), ROW_NORM),
        _returns_input("normalize_rows", "x / ‖x‖"),
    ],
    "softmax": [
        Misconception(
            "columns",
            "sum each row, axis=1, not each column (axis=0) · 应沿 axis=1 对每一行求和，"
            "而不是 axis=0（每一列）",
            runs(lambda x: np.exp(x) / np.sum(np.exp(x), axis=0, keepdims=True)), SOFTMAX_ROWS),
        Misconception(
            "no_keepdims",
            "divide each row by its own sum, of shape (m, 1) (keepdims=True): sums of shape "
            "(m,) or (1, m) divide the columns, or do not broadcast at all · 每一行除以自己的和，"
            "和的形状应为 (m, 1)（keepdims=True）：形状为 (m,) 或 (1, m) 时会按列相除，"
            "或者根本无法广播",
            runs(lambda x: np.exp(x) / np.sum(np.exp(x), axis=1)), ROWS_REMEMBER),
        Misconception(
            "whole_sum",
            "divide by each row's own sum (axis=1, keepdims=True), not the whole matrix's: every "
            "row must sum to 1 · 应除以每一行自己的和（axis=1, keepdims=True），"
            "而不是整个矩阵的和：每一行之和都应为 1",
            runs(lambda x: np.exp(x) / np.sum(np.exp(x))), ROWS_SUM_TO_1),
        Misconception(
            "no_exp",
            "take np.exp of the scores first, then divide by each row's sum of exponentials · "
            "先对分数取 np.exp，再除以每一行指数之和",
            runs(lambda x: x / np.sum(x, axis=1, keepdims=True)), SOFTMAX_ROWS),
        Misconception(
            "no_division",
            "divide by each row's sum: np.exp(x) alone is not a probability · "
            "还要除以每一行之和：只有 np.exp(x) 还不是概率",
            runs(lambda x: np.exp(x)), ROWS_SUM_TO_1),
        _returns_input("softmax", "the probabilities"),
    ],
    "L1": [
        Misconception(
            "no_abs",
            "take the absolute value of each difference, then sum: without it, differences of "
            "opposite signs cancel · 先对每个差取绝对值再求和：否则正负差值会相互抵消",
            _either(runs(lambda yhat, y: np.sum(y - yhat)), runs(lambda yhat, y: np.sum(yhat - y)),
                    runs(lambda yhat, y: np.abs(np.sum(y - yhat)))), L1_FORMULA),
        Misconception(
            "mean",
            "sum, do not average: the L1 loss adds the absolute differences (np.mean divides by "
            "m) · 求和而不是求平均：L1 损失是绝对差之和（np.mean 会再除以 m）",
            from_answer(lambda want, yhat, y: want / np.size(y)), L1_FORMULA),
        Misconception(
            "not_summed",
            "add the absolute differences up into one number: your function returns them all · "
            "把绝对差加起来得到一个数：你的函数返回的是所有差值",
            runs(lambda yhat, y: np.abs(y - yhat)), L1_FORMULA),
        Misconception(
            "squares",
            "take absolute values, not squares: Σ(y − ŷ)² is the L2 loss · "
            "取绝对值而不是平方：Σ(y − ŷ)² 是 L2 损失",
            _other_answer("L2"), L1_FORMULA),
        Misconception(
            "euclidean",
            "no squares and no square root: L1 is Σ|y − ŷ|, not the distance √Σ(y − ŷ)² · "
            "不要平方也不要开方：L1 是 Σ|y − ŷ|，不是距离 √Σ(y − ŷ)²",
            _other_answer("L2", np.sqrt), L1_FORMULA),
        ONE_ELEMENT,
        Misconception(
            "example_value",
            "compute the loss from yhat and y: your function returns 1.1, the example's value, "
            "whatever they are · 请根据 yhat 和 y 计算：你的函数总是返回例子中的 1.1",
            always(1.1)),
    ],
    "L2": [
        Misconception(
            "sqrt",
            "drop the square root: the L2 loss is the sum of squares Σ(y − ŷ)² (np.linalg.norm "
            "takes its square root) · 不要开平方：L2 损失是平方和 Σ(y − ŷ)²"
            "（np.linalg.norm 会再开平方）",
            from_answer(lambda want, *args: np.sqrt(want)), L2_FORMULA),
        Misconception(
            "abs",
            "square each difference: Σ|y − ŷ| is the L1 loss · "
            "对每个差值求平方：Σ|y − ŷ| 是 L1 损失",
            _other_answer("L1"), L2_FORMULA),
        Misconception(
            "mean",
            "sum, do not average: the L2 loss adds the squared differences (np.mean divides by "
            "m) · 求和而不是求平均：L2 损失是差值平方之和（np.mean 会再除以 m）",
            from_answer(lambda want, yhat, y: want / np.size(y)), L2_FORMULA),
        Misconception(
            "not_summed",
            "add the squares up into one number: your function returns them all · "
            "把平方加起来得到一个数：你的函数返回的是所有平方",
            runs(lambda yhat, y: (y - yhat) ** 2), L2_FORMULA),
        Misconception(
            "square_of_sum",
            "square each difference, then sum: Σ(y − ŷ)², not (Σ(y − ŷ))² · "
            "先平方再求和：Σ(y − ŷ)²，而不是 (Σ(y − ŷ))²",
            runs(lambda yhat, y: np.sum(y - yhat) ** 2), L2_FORMULA),
        ONE_ELEMENT,
        Misconception(
            "example_value",
            "compute the loss from yhat and y: your function returns 0.43, the example's value, "
            "whatever they are · 请根据 yhat 和 y 计算：你的函数总是返回例子中的 0.43",
            always(0.43)),
    ],
}
for _function, _catalogue in MISCONCEPTIONS.items():
    _catalogue += stub_misconceptions(_function)


ASSIGNMENT = Assignment(
    "01_numpy_basics",
    cases=CASES,
    tolerances={
        # 1 − σ(x) loses digits for large x; every correct formula stays within 1e-5.
        "sigmoid_derivative": Tolerance(rtol=1e-5),
        # Reshaping copies values exactly and keeps the image's own dtype.
        "image2vector": Tolerance(rtol=0.0, atol=0.0, check_dtype=False),
    },
    misconceptions=MISCONCEPTIONS,
)
# The hidden test cells' recorder: this assignment's public cases beside the hidden inputs.
record = recorder(CASES)
public_answer = ASSIGNMENT.public_answer
_public_check = ASSIGNMENT.public_check


basic_sigmoid_test = _public_check(
    "basic_sigmoid", "Check ``basic_sigmoid`` (math.exp version) on scalar inputs."
)
sigmoid_test = _public_check(
    "sigmoid", "Check ``sigmoid`` (np.exp version) on scalars, vectors and matrices."
)
sigmoid_derivative_test = _public_check(
    "sigmoid_derivative", "Check ``sigmoid_derivative`` on scalars, vectors and matrices."
)
image2vector_test = _public_check(
    "image2vector", "Check ``image2vector`` returns a column vector for several image shapes."
)
normalize_rows_test = _public_check(
    "normalize_rows", "Check ``normalize_rows`` divides each row by its own L2 norm."
)
softmax_test = _public_check("softmax", "Check ``softmax`` normalises each row into probabilities.")
L1_test = _public_check("L1", "Check the L1 loss, the sum of absolute differences.")
L2_test = _public_check("L2", "Check the L2 loss, the sum of squared differences.")

# In a notebook, a cell that uses an exercise's function before its answer cell ran
# (or when that cell failed) says so, instead of a bare NameError.
explain_undefined_names(CASES)
