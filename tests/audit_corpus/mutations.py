"""The mutation corpus: change one checked figure at a time and see what the audit says.

A mutation is *caught* when a claim resting on the changed figure turns into a mismatch — and
when the figure is the stated figure of a claim, that very claim (same location) must be the
one. *Collateral* is any other claim whose status changed although it does not rest on the
figure (it should never happen: nothing else may change status).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from jixiao.audit import audit_document
from jixiao.audit.document import Document

from .builders import bump, bump_large, figure_refs, mutate


@dataclass
class Stats:
    made: int = 0
    caught: int = 0
    missed: list = field(default_factory=list)
    #: not caught because the mutated total now exceeds a list that does not read complete
    #: (the claim turns unverifiable, "可能未列全"): counted as missed in the recall
    short_lists: list = field(default_factory=list)
    collateral: list = field(default_factory=list)
    by_kind: dict = field(default_factory=dict)  # kind of the claim stating the figure → [made, caught]

    @property
    def recall(self) -> float:
        return self.caught / self.made if self.made else 1.0

    def add(self, other: Stats) -> Stats:
        self.made += other.made
        self.caught += other.caught
        self.missed += other.missed
        self.short_lists += other.short_lists
        self.collateral += other.collateral
        for k, (m, c) in other.by_kind.items():
            mm = self.by_kind.setdefault(k, [0, 0])
            mm[0] += m
            mm[1] += c
        return self


def _key(doc: Document, c) -> tuple:
    return (c.kind, tuple(sorted(c.location.items())), tuple(figure_refs(doc, c.refs[:1])))


def checked_figures(doc: Document, result, inputs: bool = False) -> dict:
    """The stated figure of every checked (ok/rounding) claim → its claim kind; with
    ``inputs``, instead the figures checked claims use but no checked claim states."""
    stated: dict = {}
    used: dict = {}
    for c in result.claims:
        if c.status not in ("ok", "rounding"):
            continue
        refs = figure_refs(doc, c.refs)
        if c.refs and refs and refs[0][:2] == (c.refs[0][0], c.refs[0][1]):
            stated.setdefault(refs[0], c.kind)
            refs = refs[1:]
        for f in refs:
            used.setdefault(f, c.kind)
    if inputs:
        return {f: k for f, k in used.items() if f not in stated}
    return stated


def run(
    doc: Document,
    via: Callable[[Document], Document] | None = None,
    *,
    every: int = 1,
    label: str = "",
    inputs: bool = False,
) -> Stats:
    """Mutate every ``every``-th checked figure of ``doc``; ``via`` round-trips the mutated
    document through a file (.txt, .docx) before the audit."""
    via = via or (lambda d: d)
    base_doc = via(doc)
    base = audit_document(base_doc)
    base_by_key = {_key(base_doc, c): c for c in base.claims}
    stated_by = {}
    for c in base.claims:
        if c.status in ("ok", "rounding") and c.refs:
            stated_by.setdefault(tuple(figure_refs(base_doc, c.refs[:1]))[0], []).append(_key(base_doc, c))
    figs = checked_figures(base_doc, base, inputs)
    change = bump_large if inputs else bump
    st = Stats()
    for n, (fig, kind) in enumerate(sorted(figs.items(), key=lambda kv: str(kv[0]))):
        if n % every:
            continue
        mdoc = via(mutate(base_doc, fig, change))
        res = audit_document(mdoc)
        st.made += 1
        k = st.by_kind.setdefault(kind, [0, 0])
        k[0] += 1
        must = stated_by.get(fig, [])
        hit = short = False
        for c in res.claims:
            key = _key(mdoc, c)
            refs = figure_refs(mdoc, c.refs)
            before = base_by_key.get(key)
            if fig in refs:
                if c.status == "mismatch" and (before is None or before.status != "mismatch"):
                    if not must or key in must:
                        hit = True
                elif (
                    c.status == "unverifiable"
                    and "可能未列全" in c.reason
                    and (before is None or before.status != "unverifiable")
                ):
                    short = True
                continue
            if before is not None and before.status != c.status:
                st.collateral.append((label, fig, key, before.status, c.status))
        if hit:
            st.caught += 1
            k[1] += 1
        elif short:
            st.short_lists.append((label, fig, kind))
        else:
            st.missed.append((label, fig, kind))
    return st


def false_mismatches(doc: Document) -> list:
    return [c for c in audit_document(doc).claims if c.status == "mismatch"]
