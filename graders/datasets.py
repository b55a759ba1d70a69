"""The data sets the course ships, read with NumPy alone: nothing to download, no scikit-learn.

Each file sits in ``assets/<assignment id>/`` with a README that says what it holds,
where it comes from, its licence and how it was made.
"""

import os
from pathlib import Path

import numpy as np

# The checkout the package is installed from (``pip install -e .``). Not found through
# graders.course_setup, which loads nbformat and the engine: a notebook pays for NumPy only.
DIGITS = Path(__file__).resolve().parent.parent / "assets" / "02_logistic_regression" / "digits.npz"
DIGITS_KEYS = ("train_x", "train_y", "test_x", "test_y", "classes")


def load_digits_task(
    path: str | os.PathLike | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Assignment 2's handwritten digits, "is this an 8?": ``(train_x, train_y, test_x, test_y,
    classes)``.

    ``train_x`` holds the images, ``(m_train, 8, 8)`` pixels from 0 to 16 (``uint8``);
    ``train_y`` their labels, ``(1, m_train)``, 1 for an 8 and 0 for any other digit; the
    same for the test set; ``classes[label]`` names a label. ``path`` defaults to the
    course's ``assets/02_logistic_regression/digits.npz`` (its README tells the rest).
    """
    path = Path(DIGITS if path is None else path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No data set at {path}: the digits ship with the course, in "
            "assets/02_logistic_regression/digits.npz. Install the course from its folder "
            "(pip install -e .) or pass the file's path: load_digits_task(path) · "
            f"找不到数据集 {path}：手写数字随课程提供，位于 "
            "assets/02_logistic_regression/digits.npz。请在课程目录中安装课程"
            "（pip install -e .），或传入文件路径：load_digits_task(path)"
        )
    with np.load(path, allow_pickle=False) as data:
        train_x, train_y, test_x, test_y, classes = (data[key] for key in DIGITS_KEYS)
    return train_x, train_y, test_x, test_y, classes
