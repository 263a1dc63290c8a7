"""The five loss categories of Civil Code Art. 1235 (CC-1235; also SH-5), in law order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    number: int
    key: str
    rule: str
    zh: str
    en: str

    @property
    def label(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


CATEGORIES: tuple[Category, ...] = (
    Category(1, "interim_service_loss", "CC-1235(1)", "生态环境受到损害至修复完成期间服务功能丧失导致的损失",
             "Interim loss of service functions (from damage until restoration is complete)"),
    Category(2, "permanent_loss", "CC-1235(2)", "生态环境功能永久性损害造成的损失",
             "Loss from permanent damage to ecological functions"),
    Category(3, "assessment_costs", "CC-1235(3)", "生态环境损害调查、鉴定评估等费用",
             "Investigation, appraisal and assessment costs"),
    Category(4, "remediation_costs", "CC-1235(4)", "清除污染、修复生态环境费用",
             "Pollution clean-up and ecological restoration costs"),
    Category(5, "prevention_costs", "CC-1235(5)", "防止损害的发生和扩大所支出的合理费用",
             "Reasonable costs of preventing the damage from occurring or spreading"),
)
BY_KEY: dict[str, Category] = {c.key: c for c in CATEGORIES}
KEYS: tuple[str, ...] = tuple(c.key for c in CATEGORIES)
