"""Why an exercise's function is not defined: its answer cell did not run, or did not define it.

A test cell such as ``sigmoid_test(sigmoid)`` looks ``sigmoid`` up before the
check is even called, so no check can catch the ``NameError`` when the answer
cell above has a syntax error, was never run, or defines another name. Two
places explain it instead:

- in the student's kernel, :func:`explain_undefined_names` (called when the
  checks are imported) makes IPython show, for a ``NameError`` about an
  exercise's function, what to do and why, found in the cells run so far;
- out of the kernel, the grader reads the submitted answer cell with
  :func:`why_undefined` when a hidden test recorded nothing.

:func:`why_undefined` only parses the source (it never runs it), and what it
returns is a kind and a line number, so the grader can word a verdict in its own
words from it.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Collection
from dataclasses import dataclass

from .compare import student_frames

# Sources longer than this are not analysed (an answer cell is a few lines).
MAX_SOURCE = 100_000
# Names through which code can define a function without a visible statement.
_DYNAMIC = frozenset({"exec", "eval", "globals", "locals", "vars", "setattr", "__import__"})


@dataclass(frozen=True)
class Why:
    """Why an answer cell leaves its function undefined (or unwritten).

    ``kind`` is ``"syntax"`` (the cell cannot run; ``line`` says where),
    ``"no_def"`` (it does not define the function at its top level) or
    ``"not_written"`` (it does, but the function still raises NotImplementedError).
    """

    kind: str
    line: int = 0
    text: str = ""  # the line with the syntax error, for the student's own kernel only


def why_undefined(source: str, function: str) -> Why | None:
    """What the answer cell's source says about ``function``; None when it cannot be sure."""
    if not isinstance(source, str) or len(source) > MAX_SOURCE:
        return None
    try:
        tree = _parse(source)
    except SyntaxError as error:
        line = error.lineno if isinstance(error.lineno, int) and error.lineno > 0 else 0
        return Why("syntax", line, str(error.text or "").strip()[:200])
    except Exception:  # too deep, too large, or anything else: not sure of anything
        return None
    if any(isinstance(node, ast.Name) and node.id in _DYNAMIC for node in ast.walk(tree)):
        return None
    top = [node for node in tree.body if function in _bound(node)]
    if not top:
        # Bound under an ``if``, ``try`` or ``with``: it may well be defined after all.
        conditional = any(function in _bound(inner) for node in tree.body
                          if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef
                                            | ast.ClassDef)
                          for inner in ast.walk(node))
        return None if conditional else Why("no_def")
    last = top[-1]
    if isinstance(last, ast.FunctionDef) and _always_raises_not_implemented(last):
        return Why("not_written", last.lineno)
    return None


def _parse(source: str) -> ast.Module:
    """Parse a cell as the kernel would, IPython's magics (``%timeit``…) made into calls.

    A SyntaxError's line is counted in the cell as the student sees it.
    """
    try:
        return ast.parse(source)
    except SyntaxError:
        pass
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        code = TransformerManager().transform_cell(source)
    except Exception:  # without IPython, or a cell it cannot transform: as it is
        return ast.parse(source)
    try:
        return ast.parse(code)
    except SyntaxError as error:
        # IPython drops the cell's leading blank lines before compiling it.
        lines = source.splitlines()
        blank = next((n for n, line in enumerate(lines) if line.strip()), len(lines))
        if isinstance(error.lineno, int):
            error.lineno += blank
        raise


def _bound(node: ast.AST) -> set[str]:
    """The names a statement binds at its own level."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Import | ast.ImportFrom):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
        targets = [node.target]
    return {n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)}


def _always_raises_not_implemented(definition: ast.FunctionDef) -> bool:
    """Whether the function's body reaches ``raise NotImplementedError`` before any return."""
    for statement in definition.body:
        if isinstance(statement, ast.Return):
            return False
        if isinstance(statement, ast.Raise) and statement.exc is not None:
            exc = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                return True
    return False


# In the student's kernel.

_MARK = "_graders_explains_undefined_names"


def explain_undefined_names(functions: Collection[str]) -> None:
    """In IPython, explain a NameError about one of ``functions``; elsewhere, do nothing.

    Every other exception, and every NameError about another name, is shown as
    IPython always shows it. A handler someone else installed is left in place.
    """
    ipython = sys.modules.get("IPython")  # a kernel has it loaded; elsewhere, do not load it
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return
    custom = getattr(shell, "custom_exceptions", ())
    current = getattr(getattr(shell, "CustomTB", None), "__func__", None)
    if custom and not getattr(current, _MARK, False):
        return
    names = frozenset(functions)

    def handler(shell, etype, value, tb, tb_offset=None):
        name = getattr(value, "name", None)
        if name in names:
            try:
                lines = _explanation(shell, name, tb)
                value._render_traceback_ = lambda: lines
            except Exception:  # explaining must never hide the error itself
                pass
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)

    shell.set_custom_exc((NameError,), handler)
    setattr(shell.CustomTB.__func__, _MARK, True)


def _explanation(shell, name: str, tb) -> list[str]:
    """What to do about ``name`` not being defined, from the cells run so far, and where."""
    cells = list(getattr(shell.history_manager, "input_hist_raw", None)
                 or shell.user_ns.get("In", []))[:-1]  # the running cell is the last
    defines = re.compile(rf"^\s*def\s+{re.escape(name)}\s*\(", re.MULTILINE)
    answer = next((cell for cell in reversed(cells) if defines.search(cell)), None)
    why = why_undefined(answer, name) if answer is not None else None
    cell = f"def {name}(...)"
    if answer is None:
        english = f"run the answer cell with {cell} above first (Shift+Enter), then this cell again"
        chinese = f"请先运行上面包含 {cell} 的答案单元格（Shift+Enter），再运行本单元格"
    elif why is not None and why.kind == "syntax":
        english = (f"the answer cell with {cell} has a syntax error at line {why.line}, so it "
                   f"did not run: fix that line, run that cell, then this one")
        chinese = (f"包含 {cell} 的答案单元格第 {why.line} 行有语法错误，整个单元格没有运行："
                   f"请改正该行并运行那个单元格，再运行本单元格")
    elif why is not None and why.kind == "no_def":
        english = f"{cell} is not at its cell's top level: check its indentation, run that cell"
        chinese = f"{cell} 不在答案单元格的最外层：请检查缩进，再运行那个单元格"
    else:
        english = f"run the answer cell with {cell} again, and check that it ends without an error"
        chinese = f"请重新运行包含 {cell} 的答案单元格，并确认它运行时没有出错"
    lines = [f"{name} is not defined: {english} · {name} 没有定义：{chinese}"]
    if why is not None and why.kind == "syntax" and why.text:
        lines.append(f"    line {why.line} · 第 {why.line} 行:  {why.text}")
    lines += ["", f"NameError: name '{name}' is not defined"]
    lines += [f"  {frame}" for frame in student_frames(tb)]
    return lines
