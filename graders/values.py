"""The value model: what a graded function may return, described as plain data and compared.

(Skeleton: the tolerance type. The describe / read / compare functions follow.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Tolerance:
    """How closely numbers must match: NumPy's ``allclose`` terms, and whether dtypes must."""

    rtol: float = 1e-6
    atol: float = 1e-12
    check_dtype: bool = True


# A function's tolerances: one for the whole result, or one per part of it, by path
# (``""`` the whole result, ``"[1]"`` its second item, ``'[0]["dw"]'`` a key of its first).
Tolerances = Tolerance | Mapping[str, Tolerance]


def tolerance_at(tolerances: Tolerances, path: str, default: Tolerance) -> Tolerance:
    """The tolerance of the part at ``path``: the one given for the longest path that leads to it."""
    if isinstance(tolerances, Tolerance):
        return tolerances
    leading = [given for given in tolerances if path.startswith(given)]
    return tolerances[max(leading, key=len)] if leading else default
