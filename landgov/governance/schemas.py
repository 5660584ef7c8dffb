"""API contract of the 底数清单 and the 治理清单."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class BaselineRow(BaseModel):
    """One parcel and one firm on it (a parcel without firms has one row)."""

    town_code: str | None = Field(title="镇街代码")
    town_name: str | None = Field(title="镇街")
    unit_code: str = Field(title="不动产单元代码")
    parcel_mu: Decimal = Field(title="宗地面积(亩)")
    land_use_code: str = Field(title="用地分类代码")
    land_use_vintage: str = Field(title="分类标准")
    parcel_status: str = Field(title="宗地状态")
    uscc: str | None = Field(title="统一社会信用代码")
    enterprise_name: str | None = Field(title="企业名称")
    tenure: str | None = Field(title="用地方式")
    share: Decimal | None = Field(title="用地份额")
    used_mu: Decimal | None = Field(title="使用面积(亩)")
    evaluation_status: str | None = Field(title="评价状态")
    class_: str | None = Field(alias="class", title="评价类别")
    two_low_two_high: bool = Field(title="两低两高")
    flags: list[str] = Field(title="触发标签")
    colour: str | None = Field(title="一码状态色")


class GovernanceRow(BaseModel):
    """A firm on the 治理清单 with its proposed and decided action."""

    town_code: str | None = Field(title="镇街代码")
    town_name: str | None = Field(title="责任镇街")
    uscc: str = Field(title="统一社会信用代码")
    enterprise_name: str = Field(title="企业名称")
    class_: str | None = Field(alias="class", title="评价类别")
    two_low_two_high: bool = Field(title="两低两高")
    flags: list[str] = Field(title="触发标签")
    land_mu: Decimal = Field(title="用地面积(亩)")
    cluster_mu: Decimal | None = Field(title="所在连片面积(亩)")
    unit_codes: list[str] = Field(title="宗地代码")
    proposed_action: str = Field(title="建议措施")
    proposed_reason: str = Field(title="建议依据")
    decided_action: str | None = Field(title="确定措施")
    decision_reason: str | None = Field(title="调整理由")
    decided_by: str | None = Field(title="调整人")
    decided_at: datetime | None = Field(title="调整时间")
    action: str = Field(title="措施", description="shutdown / upgrade / merge / vacate / none")


class Decision(BaseModel):
    """An officer's choice of action for a listed firm."""

    model_config = ConfigDict(extra="forbid")
    action: str = Field(title="措施", description="shutdown 关停淘汰 / upgrade 整治提升 / "
                        "merge 兼并重组 / vacate 腾退盘活 / none 移出")
    reason: str = Field(min_length=2, max_length=1000, title="理由")
