"""API contract of governance cases (治理案件)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ActionKey = Literal["shutdown", "upgrade", "merge", "vacate"]
STATE_DESCRIPTION = "待核实 / 已列入 / 整治中 / 腾退中 / 已出清 / 已盘活 / 已退出"


class CaseOut(BaseModel):
    """A case as listed: its subject, state, action, town, deadline."""

    id: int = Field(title="案件编号")
    year: int = Field(title="清单年度")
    state: str = Field(title="状态", description=STATE_DESCRIPTION)
    action: str | None = Field(title="治理措施", description="shutdown 关停淘汰 / upgrade 整治提升 "
                               "/ merge 兼并重组 / vacate 腾退盘活")
    action_label: str | None = Field(title="措施名称")
    unit_code: str | None = Field(title="不动产单元代码")
    uscc: str | None = Field(title="统一社会信用代码")
    enterprise_name: str | None = Field(title="企业名称")
    town_code: str | None = Field(title="镇街代码")
    town_name: str | None = Field(title="责任镇街")
    parcel_mu: Decimal | None = Field(title="宗地面积(亩)")
    deadline: date | None = Field(title="办结期限")
    overdue: bool = Field(title="是否逾期", description="期限早于今天且案件未结束")
    exit_reason: str | None = Field(title="退出理由")
    source: str = Field(title="来源", description="list 治理清单 / manual 人工立案")
    opened_by: str = Field(title="立案人")
    opened_at: datetime = Field(title="立案时间")
    updated_at: datetime = Field(title="更新时间")
    next_states: list[str] = Field(title="可转状态")


class CasePage(BaseModel):
    """One page of cases."""

    total: int = Field(title="总数")
    limit: int = Field(title="每页数量")
    offset: int = Field(title="偏移")
    items: list[CaseOut] = Field(title="案件")


class EventOut(BaseModel):
    """One transition of a case."""

    id: int = Field(title="事件编号")
    from_state: str | None = Field(title="原状态")
    to_state: str = Field(title="新状态")
    event_date: date = Field(title="发生日期")
    recorded_at: datetime = Field(title="登记时间")
    actor: str = Field(title="办理人")
    note: str | None = Field(title="说明")


class EvidenceOut(BaseModel):
    """An evidence file's record (download at its url)."""

    id: int = Field(title="证据编号")
    event_id: int | None = Field(title="所属事件")
    sha256: str = Field(title="SHA-256")
    size_bytes: int = Field(title="大小(字节)")
    original_name: str = Field(title="原文件名")
    media_type: str = Field(title="文件类型")
    uploaded_by: str = Field(title="上传人")
    uploaded_at: datetime = Field(title="上传时间")
    url: str = Field(title="下载地址")


class CaseDetail(CaseOut):
    """A case with its events and evidence."""

    events: list[EventOut] = Field(title="流转记录")
    evidence: list[EvidenceOut] = Field(title="证据材料")


class CaseCreate(BaseModel):
    """A case opened by hand (a firm, a parcel or both)."""

    model_config = ConfigDict(extra="forbid")
    year: int = Field(ge=1990, le=2100, title="清单年度")
    uscc: str | None = Field(default=None, min_length=18, max_length=18, title="统一社会信用代码")
    unit_code: str | None = Field(default=None, min_length=28, max_length=28,
                                  title="不动产单元代码")
    action: ActionKey | None = Field(default=None, title="治理措施")
    deadline: date | None = Field(default=None, title="办结期限", description="缺省按配置的期限")
    note: str | None = Field(default=None, max_length=2000, title="说明")


class OpenResult(BaseModel):
    """What opening from the 治理清单 did."""

    year: int = Field(title="清单年度")
    opened: int = Field(title="新立案件数")
    case_ids: list[int] = Field(title="新案件编号")
    deadline: date = Field(title="办结期限")


class DeadlinePatch(BaseModel):
    """A new deadline for a case."""

    model_config = ConfigDict(extra="forbid")
    deadline: date = Field(title="办结期限")
