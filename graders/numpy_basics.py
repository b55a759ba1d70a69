"""Public checks for notebook 01, "NumPy basics for deep learning".

Each check is called with the student's function, e.g.
``sigmoid_derivative_test(sigmoid_derivative)``. The expected values below are
literal numbers on purpose: this module is installed on students' machines and
must not contain a working implementation of any graded function.
"""

from collections.abc import Callable

import numpy as np

from .compare import Case, run_cases

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

_SIGN_HINT = "check the sign: σ(x) = 1 / (1 + e^(−x)) · 检查符号：σ(x) = 1 / (1 + e^(−x))"

BASIC_SIGMOID_CASES = [
    Case("x = 1, the example from the notes · 笔记中的例子 x = 1", (1,), 0.7310585786300049),
    Case("x = 0, the midpoint · 中点 x = 0", (0,), 0.5, "σ(0) = 1/2"),
    Case("negative x = −3 · 负数 x = −3", (-3,), 0.04742587317756678, _SIGN_HINT),
    Case("a fraction, x = 2.5 · 小数 x = 2.5", (2.5,), 0.9241418199787566),
    Case("large x = 20 · 较大的 x = 20", (20,), 0.9999999979388463),
    Case(
        "very negative x = −20 · 很小的 x = −20",
        (-20,),
        2.0611536181902037e-09,
        "σ(−20) is tiny but not zero · σ(−20) 很小，但不是 0",
    ),
]

SIGMOID_CASES = [
    Case(
        "a scalar, x = 1 · 标量 x = 1",
        (1,),
        0.7310585786300049,
        "np.exp works on plain numbers too · np.exp 同样可以作用于单个数",
    ),
    Case(
        "the integer vector [1, 2, 3] from the notes · 笔记中的整数向量 [1, 2, 3]",
        (np.array([1, 2, 3]),),
        [0.7310585786300049, 0.8807970779778823, 0.9525741268224334],
        "use np.exp, which works element-wise; math.exp only takes one number · "
        "使用逐元素运算的 np.exp；math.exp 只接受一个数",
    ),
    Case(
        "a 2×3 matrix with negative values · 含负数的 2×3 矩阵",
        (np.array([[-1.0, 0.0, 1.0], [-5.0, 5.0, 0.5]]),),
        [
            [0.2689414213699951, 0.5, 0.7310585786300049],
            [0.0066928509242848554, 0.9933071490757153, 0.6224593312018546],
        ],
        _SIGN_HINT,
    ),
    Case(
        "large values [−30, 30] · 绝对值很大的输入 [−30, 30]",
        (np.array([-30.0, 30.0]),),
        [9.357622968839299e-14, 0.9999999999999065],
        "σ saturates towards 0 and 1 · σ 会趋近于 0 和 1（饱和）",
    ),
    Case(
        "a column vector of shape (3, 1) · 形状为 (3, 1) 的列向量",
        (np.array([[0.0], [2.0], [-2.0]]),),
        [[0.5], [0.8807970779778823], [0.11920292202211755]],
        "keep the input's shape · 输出形状应与输入相同",
    ),
]

SIGMOID_DERIVATIVE_CASES = [
    Case(
        "the vector [1, 2, 3] from the notes · 笔记中的向量 [1, 2, 3]",
        (np.array([1, 2, 3]),),
        [0.19661193324148185, 0.10499358540350662, 0.045176659730912],
        "σ'(x) = σ(x) · (1 − σ(x)) · 导数公式 σ'(x) = σ(x)(1 − σ(x))",
    ),
    Case(
        "x = 0, where the slope is largest · x = 0，斜率最大处",
        (0.0,),
        0.25,
        "σ'(0) = 0.5 × 0.5 = 0.25",
    ),
    Case(
        "a 2×2 matrix · 2×2 矩阵",
        (np.array([[-2.0, 0.0], [0.5, 4.0]]),),
        [[0.1049935854035065, 0.25], [0.2350037122015945, 0.017662706213291107]],
        "compute s = σ(x) first, then s * (1 − s) element-wise · "
        "先算 s = σ(x)，再逐元素计算 s * (1 − s)",
    ),
    Case(
        "far from 0: the slope vanishes · 远离 0 时斜率趋于消失",
        (np.array([-20.0, 20.0]),),
        [2.0611536181902037e-09, 2.0611536181902037e-09],
        "the slope is symmetric and tiny, not zero or negative · 斜率对称且很小，但不为 0 也不为负",
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
        "the result is a column vector: the target shape needs the trailing 1 · "
        "结果是列向量：目标形状最后要加上 1",
    ),
    Case(
        "a 4×2×3 image: length, height and depth all differ · 长、高、深各不相同的 4×2×3 图像",
        (_RECTANGULAR_IMAGE,),
        [[value / 10] for value in range(24)],
        "use image.shape, not numbers from the example · 使用 image.shape，不要写死例子里的数字",
    ),
    Case(
        "one RGB pixel of shape (1, 1, 3), integers · 形状 (1, 1, 3) 的单个整数 RGB 像素",
        (np.array([[[255, 128, 0]]], dtype=np.uint8),),
        [[255], [128], [0]],
        "reshape keeps the values and their order · reshape 不改变数值和顺序",
        check_dtype=False,
    ),
]

NORMALIZE_ROWS_CASES = [
    Case(
        "the integer matrix from the notes · 笔记中的整数矩阵",
        (np.array([[0, 3, 4], [1, 6, 4]]),),
        [[0.0, 0.6, 0.8], [0.13736056394868904, 0.8241633836921342, 0.5494422557947561]],
        "divide each row by its own L2 norm · 每一行除以该行自己的 L2 范数",
    ),
    Case(
        "a square matrix, where rows and columns are easy to confuse · 方阵：容易混淆行与列",
        (np.array([[3.0, 4.0], [0.0, 2.0]]),),
        [[0.6, 0.8], [0.0, 1.0]],
        "norms along axis=1 (rows), not axis=0 (columns) · "
        "应沿 axis=1（行）求范数，而不是 axis=0（列）",
    ),
    Case(
        "a 3×2 matrix with negative values · 含负数的 3×2 矩阵",
        (np.array([[-1.0, 1.0], [2.0, -2.0], [-3.0, -4.0]]),),
        [
            [-0.7071067811865475, 0.7071067811865475],
            [0.7071067811865475, -0.7071067811865475],
            [-0.6, -0.8],
        ],
        "keepdims=True gives the norms shape (3, 1), so they broadcast over each row · "
        "keepdims=True 让范数的形状为 (3, 1)，从而按行广播",
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
        "each row should sum to 1 · 每一行之和应为 1",
    ),
    Case(
        "a square matrix, where rows and columns are easy to confuse · 方阵：容易混淆行与列",
        (np.array([[1.0, 2.0], [3.0, 4.0]]),),
        [[0.2689414213699951, 0.7310585786300049], [0.2689414213699951, 0.7310585786300049]],
        "sum over axis=1 with keepdims=True · 沿 axis=1 求和并设置 keepdims=True",
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
        "equal scores give equal probabilities · 分数相同则概率相同",
    ),
]

_NOTES_YHAT = np.array([0.9, 0.2, 0.1, 0.4, 0.9])
_NOTES_Y = np.array([1, 0, 0, 1, 1])
_MIXED_YHAT = np.array([-1.0, 2.5, 0.0])
_MIXED_Y = np.array([1.0, 0.5, 0.0])

L1_CASES = [
    Case("the example from the notes · 笔记中的例子", (_NOTES_YHAT, _NOTES_Y), 1.1),
    Case(
        "a perfect prediction · 完全正确的预测",
        (_NOTES_Y.astype(float), _NOTES_Y),
        0.0,
        "identical vectors have zero loss · 两个向量相同时损失为 0",
    ),
    Case(
        "predictions above and below the labels · 预测值有高有低",
        (_MIXED_YHAT, _MIXED_Y),
        4.0,
        "take the absolute value before summing · 先取绝对值再求和",
    ),
    Case("integer vectors · 整数向量", (np.array([3, 1]), np.array([1, 2])), 3.0),
]

L2_CASES = [
    Case("the example from the notes · 笔记中的例子", (_NOTES_YHAT, _NOTES_Y), 0.43),
    Case(
        "a perfect prediction · 完全正确的预测",
        (_NOTES_Y.astype(float), _NOTES_Y),
        0.0,
        "identical vectors have zero loss · 两个向量相同时损失为 0",
    ),
    Case(
        "predictions above and below the labels · 预测值有高有低",
        (_MIXED_YHAT, _MIXED_Y),
        8.0,
        "square each difference and sum; no square root · 每个差值平方后求和，不开平方根",
    ),
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


def _public_check(function: str, doc: str) -> Callable[[Callable], None]:
    """Make the check ``<function>_test``, called with the student's function."""
    check_name = f"{function}_test"

    def check(target: Callable) -> None:
        run_cases(check_name, target, CASES[function])

    check.__name__ = check.__qualname__ = check_name
    check.__doc__ = doc
    return check


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
