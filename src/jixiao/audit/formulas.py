"""Arithmetic written out in prose: ``（a/b）×100%=c``, ``〔（a－b）/c〕×100%``, ``a+b=c``.

Labels inside the expression (在职人员数59人/编制数68人) are skipped; only figures, operators
and brackets count. Evaluation is exact Decimal arithmetic; a zero divisor gives None.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .numbers import Num, _thousands

OPENERS = "（(〔［[【"
CLOSERS = "）)〕］]】"
_STOP = "，,；;：:。=！？"
TIMES100 = re.compile(r"[×xX*]\s*100\s*%")


def expression_start(text: str, end: int, floor: int = 0) -> int:
    """Where the expression that ends at ``end`` begins (balanced brackets, clause marks stop)."""
    depth = 0
    i = end - 1
    while i >= floor:
        ch = text[i]
        if ch in CLOSERS:
            depth += 1
        elif ch in OPENERS:
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and ch in _STOP and not _thousands(text, i):
            return i + 1
        i -= 1
    return floor


def tokenize(text: str, start: int, end: int, nums: tuple[Num, ...]):
    """Tokens of text[start:end]: ('num', Num) | ('op', '+-*/') | ('(' | ')')."""
    by_start = {n.start: n for n in nums if start <= n.start and n.end <= end}
    out = []
    i = start
    while i < end:
        n = by_start.get(i)
        if n is not None:
            out.append(("num", n))
            i = n.unit_end if n.unit != "%" else n.end
            if n.unit == "%" and text[i : i + 1] == "%":
                i += 1
            continue
        ch = text[i]
        if ch in "+＋":
            out.append(("op", "+"))
        elif ch in "-－−—":
            out.append(("op", "-"))
        elif ch in "×*÷/xX":
            if ch in "xX" and not re.match(r"\s*[\d（(〔]", text[i + 1 : i + 4]):
                i += 1
                continue
            out.append(("op", "/" if ch in "÷/" else "*"))
        elif ch in OPENERS:
            out.append(("(", ch))
        elif ch in CLOSERS:
            out.append((")", ch))
        i += 1
    return out


class _Parser:
    def __init__(self, tokens):
        self.t = tokens
        self.i = 0
        self.used: list[Num] = []

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)

    def expr(self):
        v = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.t[self.i][1]
            self.i += 1
            w = self.term()
            v = None if v is None or w is None else (v + w if op == "+" else v - w)
        return v

    def term(self):
        v = self.factor()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.t[self.i][1]
            self.i += 1
            w = self.factor()
            if v is None or w is None:
                v = None
            elif op == "*":
                v = v * w
            else:
                v = None if w == 0 else v / w
        return v

    def factor(self):
        kind, val = self.peek()
        if kind == "op" and val == "-":
            self.i += 1
            f = self.factor()
            return None if f is None else -f
        if kind == "num":
            self.i += 1
            self.used.append(val)
            return val.value
        if kind == "(":
            self.i += 1
            v = self.expr()
            if self.peek()[0] != ")":
                raise ValueError("unbalanced")
            self.i += 1
            return v
        raise ValueError("unexpected token")


def evaluate(tokens) -> tuple[Decimal | None, list[Num]]:
    """Value of the token list (None for a zero divisor) and the figures used.

    Raises ValueError when the tokens are not one well-formed expression."""
    # brackets that hold no figure are decoration of labels: drop them
    if not tokens:
        raise ValueError("empty")
    p = _Parser(tokens)
    v = p.expr()
    if p.i != len(tokens):
        raise ValueError("trailing tokens")
    return v, p.used


def strip_label_brackets(tokens):
    """Remove bracket pairs that enclose no figure (e.g. 因公出国（境）in a label)."""
    out = list(tokens)
    changed = True
    while changed:
        changed = False
        stack = []
        for i, (k, _) in enumerate(out):
            if k == "(":
                stack.append(i)
            elif k == ")" and stack:
                j = stack.pop()
                if not any(t[0] == "num" for t in out[j:i]):
                    del out[i]
                    del out[j]
                    changed = True
                    break
    return out


def render(tokens, result_unit: str = "") -> str:
    """The expression as a reader writes it: 147.41/148.15×100%."""
    parts = []
    for k, v in tokens:
        if k == "num":
            parts.append(v.text + ("%" if v.unit == "%" else ""))
        elif k == "op":
            parts.append({"+": "+", "-": "−", "*": "×", "/": "/"}[v])
        else:
            parts.append("(" if k == "(" else ")")
    return "".join(parts)
