"""The JSON the maps routes return besides HTML and PDF: signed links."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ViewLink(BaseModel):
    """A short-lived URL opening one map page (for the /maps/ shell's iframe)."""

    url: str = Field(title="地图页链接 (含签名)")
    expires_in: int = Field(title="有效秒数")


class ShareLink(BaseModel):
    """A read-only link to a 推介单 PDF for an investor, valid until ``expires_at``."""

    url: str = Field(title="推介单 PDF 链接 (含签名)")
    expires_at: datetime = Field(title="失效时间")
    kind: str = Field(title="对象类型 (plot 地块 / zone 连片区)")
    code: str = Field(title="地块代码或连片区编号")
