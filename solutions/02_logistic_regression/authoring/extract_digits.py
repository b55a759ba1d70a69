"""Extract assignment 2's data set, "is this digit an 8?", into its committed file.

Run once by an author, never by students or tests: the file,
``assets/02_logistic_regression/digits.npz``, is committed, and the notebook reads it
with ``graders.datasets.load_digits_task``, offline and without scikit-learn.
scikit-learn is not a dependency of the course, so use a throw-away environment::

    python3 -m venv /tmp/sk-venv && /tmp/sk-venv/bin/pip install scikit-learn numpy
    /tmp/sk-venv/bin/python solutions/02_logistic_regression/authoring/extract_digits.py

It writes the file (or the path given as its one argument) and prints what
``assets/02_logistic_regression/README.md`` records: the counts and the SHA-256.
A rerun gives the same bytes, so ``git status`` shows no change unless the data did.

Source: the handwritten digits bundled with scikit-learn (``sklearn.datasets.load_digits``),
the 1,797 test examples of the UCI "Optical Recognition of Handwritten Digits":
E. Alpaydin, C. Kaynak (1998), UCI Machine Learning Repository,
https://doi.org/10.24432/C50P49, licensed CC BY 4.0. Each image is 8×8 pixels, each
pixel the count (0–16) of ink dots in a 4×4 block of the 32×32 scan; they are kept as
they are, as ``uint8``: scaling them is the students' exercise.

Balanced on purpose. Eights are a tenth of the source (174 of 1,797): a classifier that
always answers "not 8" would score 90% there, and a learning curve or an accuracy would
hide whether anything was learned. So every 8 is kept, with as many other digits,
``OTHERS_PER_DIGIT`` of each other digit chosen at random (every kind of "not 8" appears,
none dominates): about half the examples are positive, and the constant answer scores
about 50%. The test set holds ``TEST_PER_OTHER_DIGIT`` of each other digit and as many
eights as those together, exactly half positive; the train set holds the rest. One
``numpy.random.default_rng(SEED)`` makes every choice and the order of the examples,
which is shuffled so the classes interleave. An 8 shares strokes with 0, 3, 5, 6 and 9, so
one neuron misreads a few (the analysis needs mistakes to show); a 0 was too easy.

Byte for byte reproducible: ``np.savez`` stamps each member of the zip with the time
of writing, so the zip is written here with a fixed date, and stored rather than
deflated (about 23 kB either way), since deflate's bytes depend on the zlib build.
The choice of examples depends on NumPy's random generator, whose streams NEP 19
allows to change between NumPy versions: the committed file was made with NumPy 2.4
and scikit-learn 1.9.
"""

import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

# Where the course keeps the file: assets/ sits beside solutions/ (this script is
# solutions/02_logistic_regression/authoring/); the course's own package, which
# knows that layout, is not installed in the throw-away environment.
OUTPUT = Path(__file__).resolve().parents[3] / "assets" / "02_logistic_regression" / "digits.npz"

POSITIVE_DIGIT = 8
OTHERS_PER_DIGIT = 20
TEST_PER_OTHER_DIGIT = 5
SEED = 0
# Indexed by the label: classes[y] names an example's class.
CLASSES = np.array([f"not {POSITIVE_DIGIT}", f"{POSITIVE_DIGIT}"])
# A zip entry's date cannot be before 1980, the start of DOS time.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def split(images: np.ndarray, digits: np.ndarray, seed: int = SEED) -> dict[str, np.ndarray]:
    """The two-class task drawn from ``images`` (m, 8, 8) and their ``digits`` (m,):
    the arrays the file holds, by name, as the module's docstring describes them."""
    rng = np.random.default_rng(seed)
    train: list[np.ndarray] = []
    test: list[np.ndarray] = []
    others = [digit for digit in range(10) if digit != POSITIVE_DIGIT]
    for digit in others:
        chosen = rng.permutation(np.flatnonzero(digits == digit))[:OTHERS_PER_DIGIT]
        test.append(chosen[:TEST_PER_OTHER_DIGIT])
        train.append(chosen[TEST_PER_OTHER_DIGIT:])
    positives = rng.permutation(np.flatnonzero(digits == POSITIVE_DIGIT))
    test_positives = TEST_PER_OTHER_DIGIT * len(others)
    test.append(positives[:test_positives])
    train.append(positives[test_positives:])

    arrays = {}
    for name, parts in (("train", train), ("test", test)):
        order = rng.permutation(np.concatenate(parts))
        arrays[f"{name}_x"] = images[order].astype(np.uint8)
        arrays[f"{name}_y"] = (digits[order] == POSITIVE_DIGIT).astype(np.uint8).reshape(1, -1)
    arrays["classes"] = CLASSES
    return arrays


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as ``np.savez`` would, but the same bytes every time: fixed dates
    and attributes in the zip, members stored in the order given."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.asarray(array), version=(1, 0),
                                      allow_pickle=False)
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_STORED
            entry.create_system = 3  # Unix, wherever it runs
            entry.external_attr = 0o644 << 16  # rw-r--r--
            archive.writestr(entry, member.getvalue())


def main(argv: list[str]) -> None:
    from sklearn.datasets import load_digits  # the author's throw-away environment only

    output = Path(argv[0]) if argv else OUTPUT
    source = load_digits()
    # The pixels are counts from 0 to 16, stored as floats: uint8 keeps them exactly.
    if not np.array_equal(source.images, source.images.astype(np.uint8)):
        raise SystemExit("load_digits no longer gives whole pixel counts from 0 to 16")
    arrays = split(source.images, source.target)
    write_npz(output, arrays)

    print(f"{output}: {output.stat().st_size} bytes, "
          f"SHA-256 {hashlib.sha256(output.read_bytes()).hexdigest()}")
    for name in ("train", "test"):
        labels = arrays[f"{name}_y"].ravel()
        print(f"{name}: {labels.size} examples, {int(labels.sum())} labelled 1 "
              f'("{CLASSES[1]}"), {int((labels == 0).sum())} labelled 0 ("{CLASSES[0]}")')


if __name__ == "__main__":
    main(sys.argv[1:])
