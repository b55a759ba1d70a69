"""A seccomp filter for the grading kernel: no Linux keyrings.

Keyrings are not namespaced: everything running as one user id shares them, so a
secret put there by one student (``add_key``/``keyctl``, e.g. through ``ctypes``)
would be read by the next student graded in the same slot, even by a later
grading run. Docker's default profile refuses these system calls for that reason;
so does this filter, written by hand as classic BPF (no dependency), for
``bwrap --seccomp FD``.

The filter also refuses every system call made through another ABI than the
machine's own (i386 ``int 0x80`` on x86-64, x32, 32-bit ARM), since their
numbers differ and would slip past the list. On an architecture it does not know,
it refuses to build: grading must not start with a filter that does nothing.
"""

from __future__ import annotations

import errno
import os
import struct

# Linux UAPI constants (linux/filter.h, linux/seccomp.h, linux/audit.h).
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_NR_OFFSET, _ARCH_OFFSET = 0, 4  # struct seccomp_data: int nr; __u32 arch; ...
_X32_BIT = 0x40000000

# machine (uname -m) -> (AUDIT_ARCH_*, numbers of add_key, request_key, keyctl)
ARCHES: dict[str, tuple[int, tuple[int, ...]]] = {
    "x86_64": (0xC000003E, (248, 249, 250)),
    "aarch64": (0xC00000B7, (217, 218, 219)),
}
DENIED = ("add_key", "request_key", "keyctl")


class UnsupportedArchitectureError(RuntimeError):
    """No filter is known for this machine: the sandbox must not start without one."""


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def keyring_filter(machine: str | None = None) -> bytes:
    """The BPF program (``struct sock_filter[]`` bytes) that denies the keyring calls.

    Each of ``DENIED`` fails with EPERM, as does any call through a foreign ABI;
    everything else is allowed.
    """
    machine = machine or os.uname().machine
    if machine not in ARCHES:
        raise UnsupportedArchitectureError(
            f"no seccomp filter is known for the architecture {machine!r} (known: "
            f"{', '.join(ARCHES)}); the grading sandbox will not start without one, since "
            "the kernel's keyrings would then outlive it."
        )
    arch, numbers = ARCHES[machine]
    deny = _RET_ERRNO | errno.EPERM
    # Layout: [0] load arch, [1] foreign arch -> deny, [2] load nr, [3] x32 -> deny,
    # [4..4+n) each denied call -> deny, [4+n] allow, [5+n] deny.
    n = len(numbers)
    program = [
        _insn(_LD_W_ABS, _ARCH_OFFSET),
        _insn(_JEQ_K, arch, jt=0, jf=n + 3),
        _insn(_LD_W_ABS, _NR_OFFSET),
        _insn(_JGE_K, _X32_BIT, jt=n + 1, jf=0),
    ]
    for index, number in enumerate(numbers):
        program.append(_insn(_JEQ_K, number, jt=n - index, jf=0))
    program += [_insn(_RET_K, _RET_ALLOW), _insn(_RET_K, deny)]
    return b"".join(program)
