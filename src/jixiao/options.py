"""Every threshold and choice of ``evaluate`` (DESIGN §5–7), in one frozen value.

Bad values raise ``errors.OptionError`` (a ``ValueError``): the library never raises a shell's
exception; the CLI and the web page map it to their own (usage error, exit 2 / a 400 page).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import OptionError

D = Decimal

THREE_PUBLIC_BASES = ("budget", "actual")


@dataclass(frozen=True)
class EvalOptions:
    """Every threshold and choice of evaluate (DESIGN §5–7). Frozen: safe to share."""

    #: "三公"经费变动率: 'budget' (本年预算 vs 上年预算, the reference's basis) or 'actual' (决算 vs 决算)
    three_public_basis: str = "budget"
    #: findings: a project/承担单位 executing below this % is flagged
    execution_threshold: Decimal = D(80)
    undertaking_threshold: Decimal = D(80)
    #: the whole department's 预算执行率 below this % is flagged
    budget_execution_threshold: Decimal = D(90)
    #: 预算调整率 above this % is flagged
    adjustment_threshold: Decimal = D(10)
    #: "三公"经费 / 公用经费 executed below this % of budget: budget far above need
    three_public_control_threshold: Decimal = D(50)
    public_funds_control_threshold: Decimal = D(50)
    #: 在职人员控制率 above this % is over the limit
    staff_limit: Decimal = D(100)
    #: 资产增长率 above this % asks for an explanation (None: rule off)
    asset_growth_threshold: Decimal | None = D(100)
    satisfaction_threshold: Decimal = D(90)
    #: rule set for the 项目支出绩效自评 of each project
    project_framework: str = "project"

    def __post_init__(self) -> None:
        if self.three_public_basis not in THREE_PUBLIC_BASES:
            raise OptionError(
                f"三公经费变动率口径只能是 budget 或 actual，收到 {self.three_public_basis!r}。"
            )


DEFAULT_OPTIONS = EvalOptions()


def parse_percent(text: str, option: str) -> Decimal:
    """'80', '80%', ' 75.5 ' → Decimal; anything else → OptionError naming the option."""
    try:
        v = Decimal(text.strip().rstrip("%"))
    except InvalidOperation:
        raise OptionError(f"{option} 应为数字（百分数），收到“{text}”。") from None
    if not v.is_finite():
        raise OptionError(f"{option} 应为数字（百分数），收到“{text}”。")
    return v


def cli_options(three_public_basis: str = "budget", execution_threshold: str = "80") -> EvalOptions:
    """The options the CLI exposes (``--three-public-basis``, ``--execution-threshold``), from text."""
    th = parse_percent(execution_threshold, "--execution-threshold")
    return EvalOptions(
        three_public_basis=three_public_basis.strip().lower(),
        execution_threshold=th,
        undertaking_threshold=th,
    )


__all__ = ["DEFAULT_OPTIONS", "THREE_PUBLIC_BASES", "EvalOptions", "cli_options", "parse_percent"]
