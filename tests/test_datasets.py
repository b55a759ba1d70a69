"""Does assignment 2's data set hold what its README says, and does its script remake it?

The script needs scikit-learn, which the course does not install: these tests check,
without it, every step that does not read the source (the choice of examples on
made-up digits, the byte-stable writing of the committed arrays) and that the file is
the one the README records.
"""

import hashlib
import re
import shutil

import numpy as np
import pytest

from graders.course_setup import authoring
from graders.datasets import DIGITS, DIGITS_KEYS, load_digits_task

README = DIGITS.parent / "README.md"
extract = authoring("02_logistic_regression", "extract_digits")


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def digits() -> dict[str, np.ndarray]:
    return dict(zip(DIGITS_KEYS, load_digits_task(), strict=True))


def test_the_file_is_shipped_and_small():
    """Is digits.npz where the script writes it and the loader reads it, at most 1 MB?"""
    assert extract.OUTPUT == DIGITS
    assert DIGITS.is_file()
    assert DIGITS.stat().st_size <= 1_000_000


def test_the_file_holds_exactly_the_documented_arrays(readme, digits):
    """Does each array have the key, shape and dtype of the README's table, and no other?"""
    rows = re.findall(r"^\| `(\w+)` \| \(([\d, ]*)\) \| `?([<\w]+)`? \|", readme, re.MULTILINE)
    documented = {key: (tuple(int(n) for n in shape.split(",") if n.strip()), np.dtype(dtype))
                  for key, shape, dtype in rows}
    with np.load(DIGITS, allow_pickle=False) as data:
        assert sorted(data.files) == sorted(DIGITS_KEYS) == sorted(documented)
    for key, (shape, dtype) in documented.items():
        assert (digits[key].shape, digits[key].dtype) == (shape, dtype), key


def test_pixels_labels_and_classes_have_the_documented_values(digits):
    """Are the pixels whole counts from 0 to 16, the labels 0 or 1, and classes["not 8", "8"]?"""
    for name in ("train", "test"):
        images, labels = digits[f"{name}_x"], digits[f"{name}_y"]
        assert images.shape[1:] == (8, 8) and images.max() <= 16
        assert labels.shape == (1, len(images))
        assert set(np.unique(labels)) == {0, 1}
    assert digits["classes"].tolist() == ["not 8", "8"]


def test_no_image_is_in_both_sets(digits):
    """Is every test image unseen in training?"""
    train = {image.tobytes() for image in digits["train_x"]}
    assert not [image for image in digits["test_x"] if image.tobytes() in train]


def test_the_counts_per_class_are_the_readmes(readme, digits):
    """Does each set hold, for each label, as many examples as the README's table says?"""
    rows = re.findall(r'^\| ([01]) \| `"([^"]*)"` \| (\d+) \| (\d+) \|$', readme, re.MULTILINE)
    assert sorted(int(label) for label, *_ in rows) == [0, 1]
    for label, name, train, test in rows:
        assert digits["classes"][int(label)] == name
        assert np.count_nonzero(digits["train_y"] == int(label)) == int(train), name
        assert np.count_nonzero(digits["test_y"] == int(label)) == int(test), name


def test_the_file_is_the_one_the_readme_records(readme):
    """Is the file the script made, as its SHA-256 in the README says?"""
    recorded = re.search(r"SHA-256[^`]*`([0-9a-f]{64})`", readme)
    assert recorded, "the README records no SHA-256 of digits.npz"
    assert hashlib.sha256(DIGITS.read_bytes()).hexdigest() == recorded.group(1)


def test_the_readme_states_the_scripts_seed(readme):
    """Does the README name the seed the script uses?"""
    assert f"numpy.random.default_rng({extract.SEED})" in readme


def test_the_script_writes_the_committed_bytes(tmp_path):
    """Does the script's writer give the committed file back, byte for byte, at any time?"""
    with np.load(DIGITS, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    extract.write_npz(tmp_path / "digits.npz", arrays)
    assert (tmp_path / "digits.npz").read_bytes() == DIGITS.read_bytes()


def made_up_digits(per_digit: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Distinct images, each carrying its digit in its first pixel and its index in the next."""
    digits = np.repeat(np.arange(10), per_digit)
    images = np.zeros((len(digits), 8, 8))
    images[:, 0, 0] = digits
    images[:, 0, 1] = np.arange(len(digits))
    return images, digits


def test_the_split_is_balanced_seeded_and_disjoint():
    """Does the script keep every positive digit and as many others, split the same way for the
    same seed?"""
    images, digits = made_up_digits()
    positive = extract.POSITIVE_DIGIT
    positives = np.count_nonzero(digits == positive)
    arrays = extract.split(images, digits, seed=7)
    train_x, train_y, test_x, test_y = (arrays[key] for key in DIGITS_KEYS[:4])
    others = extract.OTHERS_PER_DIGIT * 9
    test_others = extract.TEST_PER_OTHER_DIGIT * 9

    assert test_y.shape == (1, 2 * test_others) and int(test_y.sum()) == test_others
    assert train_y.shape == (1, positives + others - 2 * test_others)
    assert int(train_y.sum()) == positives - test_others  # every positive is kept
    for x, y in ((train_x, train_y), (test_x, test_y)):
        assert np.array_equal(x[:, 0, 0] == positive, y[0] == 1)  # each image keeps its label
    for digit in set(range(10)) - {positive}:
        assert np.count_nonzero(test_x[:, 0, 0] == digit) == extract.TEST_PER_OTHER_DIGIT
        chosen = np.count_nonzero(train_x[:, 0, 0] == digit) + extract.TEST_PER_OTHER_DIGIT
        assert chosen == extract.OTHERS_PER_DIGIT
    assert not {x.tobytes() for x in train_x} & {x.tobytes() for x in test_x}
    again = extract.split(images, digits, seed=7)
    assert all(np.array_equal(arrays[key], again[key]) for key in DIGITS_KEYS)
    other_seed = extract.split(images, digits, seed=8)
    assert not np.array_equal(arrays["train_x"], other_seed["train_x"])


def test_the_loader_reads_a_copy_given_its_path(tmp_path, digits):
    """Does load_digits_task(path) read a copy of the file as it reads the course's?"""
    copy = tmp_path / "digits.npz"
    shutil.copyfile(DIGITS, copy)
    for key, array in zip(DIGITS_KEYS, load_digits_task(copy), strict=True):
        assert np.array_equal(array, digits[key]) and array.dtype == digits[key].dtype


def test_a_missing_file_is_explained_in_both_languages(tmp_path):
    """Does a missing file raise FileNotFoundError naming it, in English and Chinese?"""
    missing = tmp_path / "digits.npz"
    with pytest.raises(FileNotFoundError) as error:
        load_digits_task(missing)
    message = str(error.value)
    assert message.startswith(f"No data set at {missing}")
    assert f"找不到数据集 {missing}" in message
