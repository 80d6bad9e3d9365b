"""The audit's stages, in the order they run (DESIGN §9, issue 10.4):

1. **normalise** — ``document.normalize_text``: traditional → simplified, full-width digits and
   signs → ASCII, ``929.49 万元`` read as ``929.49万元`` (``numbers.find_numbers``);
2. **segment** — ``readers`` / ``pdf`` / ``segment``: pages, paragraphs (lines broken inside a
   sentence joined again, running page numbers dropped) and tables;
3. **tag** — ``tag.tag_sentence``: each figure of a sentence with its role (level, previous
   level, change, rate, budget, actual, share …), its subject and its period;
4. **relate** — the extractors below, in this order: each finds the figures a statement
   relates (now − before = change, change ÷ before = rate, actual ÷ budget = completion,
   part ÷ whole = share, Σ parts = total) and recomputes the stated one;
5. **judge** — ``recompute.judge``: ok / rounding / mismatch / unverifiable.

The list is explicit: no extractor registers itself by being imported.
"""

from __future__ import annotations

from collections.abc import Callable

from .context import ParaContext
from .document import Paragraph
from .numbers import find_numbers
from .parts import budget_identity_claims, net_value_claims, parts_claims
from .rates import rate_claims
from .recompute import UNVERIFIABLE, Claim
from .relate import comparison_claims, direction_claims, relation_claims
from .text_claims import change_claims, formula_claims

#: paragraph extractors in the order they run; a figure claimed by one is not claimed again.
#: The tagged relations run twice: ``compare`` (changes and their rates whose inputs the statement
#: holds) before the shape readers, ``relate`` (all relations) last, to settle figures the shape
#: readers left unverifiable
PARAGRAPH_EXTRACTORS: list[tuple[str, Callable[[ParaContext], list[Claim]]]] = [
    ("formula", formula_claims),
    ("compare", comparison_claims),
    ("change", change_claims),
    ("parts", parts_claims),
    ("budget_identity", budget_identity_claims),
    ("net_value", net_value_claims),
    ("rate", rate_claims),
    ("relate", relation_claims),
    ("direction", direction_claims),
]


def paragraph_claims(paragraphs: list[Paragraph]) -> list[Claim]:
    out: list[Claim] = []
    for pos, p in enumerate(paragraphs):
        if not find_numbers(p.text):
            continue
        ctx = ParaContext(paragraphs, pos)
        mine: list[Claim] = []
        for _, fn in PARAGRAPH_EXTRACTORS:
            ctx.settled = {c.refs[0][2:] for c in mine if c.refs and c.status != UNVERIFIABLE}
            if fn is relation_claims:
                mine = _settle(mine, fn(ctx))
            else:
                mine.extend(fn(ctx))
        for c in mine:
            # a claim located in an earlier paragraph (a list under the paragraph before) does not
            # claim a figure that paragraph's own claims already judged
            if c.refs and c.refs[0][1] != p.index:
                i = next((k for k, x in enumerate(out) if x.refs and x.refs[0] == c.refs[0]), None)
                if i is not None:
                    if out[i].status == UNVERIFIABLE:
                        out[i] = c
                    continue
            out.append(c)
    return out


def _settle(claims: list[Claim], found: list[Claim]) -> list[Claim]:
    """A claim of the relate stage replaces an earlier unverifiable claim of the same stated
    figure; any other is added."""
    at = {c.refs[0]: i for i, c in enumerate(claims) if c.refs and c.status == UNVERIFIABLE}
    for c in found:
        i = at.get(c.refs[0]) if c.refs else None
        if i is not None:
            claims[i] = c
        else:
            claims.append(c)
    return claims
