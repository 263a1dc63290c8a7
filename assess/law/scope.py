"""Scope 适用范围 (SH-4): cases the implementing rules do not cover are refused, naming the fact and the rule.

上海细则第四条: "以下情形不适用本细则：（一）涉及人身伤害、个人和集体财产损失要求赔偿的，适用《中华人民共和国
民法典》等法律有关侵权责任的规定；（二）涉及海洋生态环境损害赔偿的，适用海洋环境保护法等法律及相关规定。
历史遗留且责任主体不明确的生态环境损害问题,由所在地政府纳入正常生态环境治理工作解决,不适用本细则。"

The facts are ``facts.scope.*`` (all optional).  In a jurisdiction whose rules list the exclusion
(``data/duties.toml``, ``scope_exclusions``) a true fact refuses the case with an :class:`InputError`
naming ``facts.scope.<fact>`` and quoting the rule; where no exclusion is recorded (Jiangsu, national)
the result says so and decides nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from assess.law.findings import Finding, from_duty, no_rule
from assess.law.valuation.base import StrictModel
from factors import duties
from factors.errors import InputError


class ScopeFacts(StrictModel):
    """Facts that may put a case outside the rules (SH-4)."""

    personal_injury_claim: bool | None = Field(
        default=None, description="人身损害索赔 SH-4(一) the claim is for personal injury (tort law applies, not these rules)")
    property_loss_claim: bool | None = Field(
        default=None, description="个人和集体财产损失索赔 SH-4(一) the claim is for loss of individual or collective property "
                                  "(tort law applies)")
    marine: bool | None = Field(default=None, description="海洋生态环境损害 SH-4(二) marine ecological damage (marine environment law applies)")
    historic_no_identifiable_party: bool | None = Field(
        default=None, description="无法确定责任主体的历史遗留损害 SH-4 para. 3 historic damage whose responsible party is not "
                    "identifiable")

    def given(self) -> dict[str, bool]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


def check_scope(case: Any, on: date) -> Finding | None:
    """Refuse a case outside the rules (InputError naming the fact); else a finding when scope facts are given."""
    given = case.facts.scope.given()
    if not given:
        return None
    duty = duties.lookup("scope_exclusions", case.jurisdiction, on)
    if duty is None:
        return no_rule("scope", {"zh": "适用范围", "en": "Scope"}, case.jurisdiction, "SH-4")
    problems = []
    for item in duty.items:
        if given.get(item["code"]):
            problems.append(InputError(
                f"facts.scope.{item['code']}",
                f"a case within the rules: {item['item']} {item['zh']} / {item['en']} ({duty.rule}: 不适用本细则, "
                "these rules do not apply)", True))
    if problems:
        raise InputError.collect(problems)
    return from_duty(duty, "scope", "in_scope",
                     {"zh": "所列不适用情形均不成立：" + "、".join(f"facts.scope.{k}" for k in given),
                      "en": "none of the listed exclusions holds: " + ", ".join(f"facts.scope.{k}" for k in given)})
