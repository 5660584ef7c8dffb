"""API contract of evaluation runs, what-ifs and explanations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class RunRequest(BaseModel):
    """Start an evaluation."""

    model_config = ConfigDict(extra="forbid")
    year: int = Field(ge=1990, le=2100, title="评价年度")
    rules: str | None = Field(default=None, max_length=60, title="规则集 (名称@版本)",
                              description="Default: zhejiang-default@1")


class TwoLowTwoHighTotal(BaseModel):
    """How many 两低两高 firms and how much land they use."""

    firms: int = Field(title="企业数")
    land_mu: float = Field(title="用地面积(亩)")


class RunListItem(BaseModel):
    """A run in the list."""

    id: int = Field(title="评价批次")
    year: int = Field(title="年度")
    rule_ref: str = Field(title="规则集")
    inputs_checksum: str = Field(title="输入数据校验和")
    created_at: datetime = Field(title="评价时间")
    created_by: str = Field(title="执行者")
    enterprise_count: int = Field(title="企业数")
    scored_count: int = Field(title="参评企业数")


class RunSummary(RunListItem):
    """A stored run and its counts."""

    rule_checksum: str = Field(title="规则集校验和")
    by_status: dict[str, int] = Field(title="按状态")
    by_class: dict[str, int] = Field(title="按类别")
    two_low_two_high: TwoLowTwoHighTotal = Field(title="两低两高")


class WhatIfRequest(BaseModel):
    """Re-evaluate with changed rules, compare with a stored run, store nothing."""

    model_config = ConfigDict(extra="forbid")
    year: int = Field(ge=1990, le=2100, title="评价年度")
    against: int = Field(ge=1, title="对比的评价批次")
    base: str | None = Field(default=None, max_length=60, title="基础规则集",
                             description="Default: the rule set of the run compared with")
    changes: dict[str, Any] = Field(default_factory=dict, title="规则修改",
                                    examples=[{"flags": {"low_benefit": {"below": 4}}}])


class Mover(BaseModel):
    """A firm whose class or 两低两高 standing would change."""

    uscc: str = Field(title="统一社会信用代码")
    name: str = Field(title="企业名称")
    class_before: str | None = Field(title="原类别")
    class_after: str | None = Field(title="新类别")
    tlth_before: bool | None = Field(title="原两低两高")
    tlth_after: bool | None = Field(title="新两低两高")
    status_before: str | None = Field(title="原状态")
    status_after: str | None = Field(title="新状态")
    land_mu: float | None = Field(title="用地面积(亩)")


class WhatIfLand(BaseModel):
    """Land concerned by the changes."""

    class_changes: float = Field(title="类别变化企业用地(亩)")
    entering: float = Field(title="新进入两低两高用地(亩)")
    leaving: float = Field(title="退出两低两高用地(亩)")


class WhatIfResult(BaseModel):
    """The difference a rule change would make."""

    year: int = Field(title="年度")
    against: int = Field(title="对比批次")
    rules: dict[str, Any] = Field(title="使用的规则集")
    class_changes: list[Mover] = Field(title="类别变化")
    entering_two_low_two_high: list[Mover] = Field(title="新进入两低两高")
    leaving_two_low_two_high: list[Mover] = Field(title="退出两低两高")
    land_mu: WhatIfLand = Field(title="涉及用地")


class EnterpriseItem(BaseModel):
    """An enterprise with its main town and its evaluation."""

    uscc: str = Field(title="统一社会信用代码")
    name: str = Field(title="企业名称")
    industry_code: str | None = Field(title="行业代码")
    industry_name: str | None = Field(title="行业")
    chain: str | None = Field(title="产业链")
    chain_link: str | None = Field(title="产业链环节")
    founded_on: date | None = Field(title="成立日期")
    production_start_on: date | None = Field(title="投产日期")
    town_code: str | None = Field(title="主要用地所在镇街代码")
    town_name: str | None = Field(title="主要用地所在镇街")
    evaluation_status: str | None = Field(title="评价状态")
    class_: str | None = Field(alias="class", title="评价类别")
    two_low_two_high: bool | None = Field(title="两低两高")
    land_mu: float | None = Field(title="用地面积(亩)")


class EnterprisePage(BaseModel):
    """A page of enterprises."""

    run_id: int | None = Field(title="评价批次")
    number_matched: int = Field(title="符合条件总数")
    items: list[EnterpriseItem] = Field(title="企业")


class UploadResult(BaseModel):
    """What an indicator upload wrote (a file with any problem is refused whole)."""

    year: int = Field(title="年度")
    rows: int = Field(title="行数")
    columns: list[str] = Field(title="更新的指标列")
    written: int = Field(title="写入行数", description="0 for a dry run")
    dry_run: bool = Field(title="仅校验")


class Explanation(BaseModel):
    """Why a firm has its status, class and flags."""

    run_id: int = Field(title="评价批次")
    year: int = Field(title="年度")
    rule_ref: str = Field(title="规则集")
    uscc: str = Field(title="统一社会信用代码")
    name: str = Field(title="企业名称")
    group: str = Field(title="评价组", description="above_scale 规上 / below_scale 规下")
    land_mu: float = Field(title="用地面积(亩)")
    status: str = Field(title="评价状态")
    status_zh: str = Field(title="状态说明")
    status_en: str = Field(title="status")
    data_quality: list[str] = Field(title="数据质量问题")
    inputs: dict[str, Any] = Field(title="输入数据")
    total: float | None = Field(default=None, title="总分")
    class_: str | None = Field(alias="class", title="类别")
    class_explanation_zh: str | None = Field(title="类别依据")
    two_low_two_high: bool = Field(title="两低两高企业")
    indicators: list[dict[str, Any]] = Field(title="指标明细")
    flags: list[dict[str, Any]] = Field(title="两低两高判定")
