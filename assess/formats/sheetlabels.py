"""Chinese headers and notes of the case workbook 输入表格的中文表头和说明 (``assess template --lang zh``).

The case model's field descriptions are written for developers (English with Chinese terms); an
assessor filling in the zh template reads these instead.  Keyed by the field's dotted path inside
its sheet's element (``inputs.unit_cost``), else by its last name (``basis``).  A quantity's two
columns get ``（数值）`` / ``（单位）`` after the label; its distribution column ``（分布）``.
Rule IDs are those of data/rules.toml.
"""

from __future__ import annotations

#: path or name → (header, note).  An empty note keeps only the kind hint (数字, 日期 …).
ZH: dict[str, tuple[str, str]] = {
    # case sheet
    "schema_version": ("格式版本", "案件文件格式的版本，保持默认即可"),
    "case_id": ("案件编号", "本案的编号，如 JS-YC-2024-017"),
    "title": ("案件名称", "案件名称"),
    "jurisdiction": ("法域", "适用的规则：CN 全国、CN-JS 江苏、CN-SH 上海"),
    "dates.incident": ("损害发生（发现）日", "损害发生或被发现的日期"),
    "dates.clue_received": ("线索接收日", "接收案件线索的日期"),
    "dates.assessment_base": ("评估基准日", "适用该日有效的规则（默认：线索接收日，其次损害发生日）"),
    "description": ("案情简介", "简要案情"),
    "facts.simple_facts": ("损害事实简单", "简易评估认定的条件之一"),
    "facts.undisputed_liability": ("责任认定无争议", "简易评估认定的条件之一"),
    "facts.small_damage": ("损害较小", "简易评估认定的条件之一；未填时以《生态环境损害赔偿管理规定》所列金额作参考"),
    "facts.obligor_agreed_simplified": ("义务人同意简易评估", "赔偿义务人同意适用简易评估认定程序"),
    "facts.obligor_refused_simplified": ("义务人明确拒绝简易评估", "赔偿义务人明确拒绝简易评估认定的，共同委托鉴定评估"),
    "facts.obligor_agrees_simplified_consultation": ("义务人同意简易磋商", "经与赔偿义务人协商一致，可启动简易磋商"),
    "facts.clue_channel": ("线索来源", "线索来源渠道"),
    "facts.citizen_report_requests_claim": ("举报要求索赔", "公民、法人或其他组织举报要求提起索赔（两个月内答复）"),
    "facts.major.emergency_level": ("突发环境事件等级", "无、一般、较大、重大、特别重大"),
    "facts.major.in_key_zone": ("位于重点生态功能区等", "位于国家或省级重点生态功能区、禁止开发区或生态保护红线区域"),
    "facts.major.assigned_by_inspection": ("督察交办", "中央或省级生态环境保护督察发现并明确交办"),
    "facts.major.part_of_assigned_major_matter": ("属国家或省交办的重大事项", "属于国家或省交办的重大事项的一部分"),
    "facts.major.serious_consequences_determined": ("经认定后果严重", "设区市政府或省级部门认定后果严重"),
    "facts.major.declared_major": ("按重大案件办理", "赔偿权利人按重大案件办理（上海未规定具体标准）"),
    "facts.non_initiation.already_compensated": ("已履行赔偿义务", "赔偿义务人已经履行赔偿义务"),
    "facts.non_initiation.judgment_covers_claims": ("生效判决已涵盖索赔", "同一损害的生效判决已涵盖全部索赔请求"),
    "facts.non_initiation.significantly_minor": ("损害显著轻微", "损害显著轻微，不需要赔偿"),
    "facts.non_initiation.obligor_gone_no_assets": ("义务人终止且无财产", "法人终止、组织解散或自然人死亡，且无财产可供执行"),
    "facts.non_initiation.lawful_permitted_discharge": ("依法许可排放", "依法依规取得排污许可并按规定排放"),
    "facts.non_initiation.other_ground": ("其他情形", "其他不启动或终止索赔的情形，用文字说明"),
    "facts.non_initiation.self_repaired": ("义务人已自行修复", "赔偿义务人已自行修复或替代修复"),
    "facts.non_initiation.losses_paid": ("义务人已赔付损失费用", "赔偿义务人已支付《民法典》第一千二百三十五条规定的损失和费用"),
    "facts.location.districted_city": ("设区市", "江苏：损害所在的设区市"),
    "facts.location.district": ("区", "上海：损害所在的区"),
    "facts.location.spans": ("地域范围", "同一设区市（区）内、跨多个设区市（区）或跨省"),
    "facts.location.national_major_impact": ("全国重大影响", "在全国有重大影响的案件"),
    "facts.location.escalation_requested": ("申请省级办理", "设区市政府申请由省级办理重大、疑难案件"),
    "procedure.initial_verification_done": ("初步核查完成日", "线索初步核查完成的日期"),
    "procedure.case_opened": ("立案启动索赔日", "启动索赔之日；其后发现的情形终止索赔"),
    "procedure.report_received": ("举报接到日", "接到举报的日期"),
    "procedure.report_replied": ("举报答复日", "答复举报人的日期"),
    "procedure.consultation_notice_delivered": ("磋商告知书送达日", "磋商告知书送达赔偿义务人的日期"),
    "procedure.obligor_reply": ("义务人答复", "同意、明确拒绝或未答复（视为拒绝）"),
    "procedure.obligor_reply_date": ("义务人答复日", "赔偿义务人答复的日期"),
    "procedure.consultation_failed_other": ("磋商不成的其他原因", "部门认为无法达成一致的其他原因"),
    "procedure.agreement_signed": ("赔偿协议签署日", "签署生态环境损害赔偿协议的日期"),
    "procedure.confirmation_notice_published": ("司法确认公告日", "人民法院公告司法确认申请的日期"),
    "procedure.confirmation_ruling": ("司法确认裁定日", "人民法院作出司法确认裁定的日期"),
    # rules without a number (assess/law/scope.py, preconditions.py, aftercare.py, casefile.py)
    "facts.scope.personal_injury_claim": ("人身伤害赔偿请求", "要求赔偿人身伤害的，适用民法典侵权责任规定，不适用上海细则（第四条）"),
    "facts.scope.property_loss_claim": ("个人和集体财产损失请求", "要求赔偿个人和集体财产损失的，不适用上海细则（第四条）"),
    "facts.scope.marine": ("海洋生态环境损害", "适用海洋环境保护法等，不适用上海细则（第四条）"),
    "facts.scope.historic_no_identifiable_party": ("历史遗留且责任主体不明确", "由所在地政府纳入正常治理，不适用上海细则（第四条）"),
    "procedure.investigation_concluded": ("损害调查完成日", "形成调查结论之日（上海细则第十五、十八条）"),
    "procedure.assessment_concluded": ("鉴定评估完成日", "鉴定意见、评估报告或专家意见出具之日"),
    "procedure.restoration_plan_prepared": ("初步修复方案编制日", "初步生态环境修复方案（含替代修复）编制完成之日"),
    "procedure.obligor_proposed_consultation": ("义务人提议磋商日", "调查过程中赔偿义务人主动提议磋商之日，可先行启动磋商"),
    "procedure.facts_confirmed_in_writing": ("书面确认损害事实日", "书面确认损害事实之日（先行修复的条件）"),
    "procedure.early_restoration_consented": ("部门同意先行修复日", "江苏：具体开展索赔工作的部门或机构同意先行修复之日"),
    "procedure.early_restoration_started": ("先行修复开始日", "磋商达成一致前，赔偿义务人开始修复之日"),
    "procedure.restoration_completed": ("修复完成日", "修复完成之日，其后应当及时组织修复效果评估"),
    "procedure.effect_evaluation_done": ("修复效果评估日", "修复效果评估完成之日"),
    "procedure.effect_evaluation_result": ("修复效果评估结论", "通过或未通过（未通过的继续修复）"),
    "procedure.judgment_effective": ("判决生效日", "人民法院判决生效之日"),
    "procedure.performance": ("履行情况", "全面履行、不完全履行或不履行"),
    "procedure.performance_as_of": ("履行情况认定日", "认定履行情况的日期"),
    "procedure.enforcement_applied": ("申请强制执行日", "向人民法院申请强制执行之日"),
    "procedure.dishonest_list_entered": ("列入失信名单日", "列入失信被执行人名单之日"),
    "whole_liability.obligor": ("承担全部责任的义务人", "两名以上赔偿义务人中愿意承担全部赔偿责任者的编号（上海细则第二十三条）"),
    "whole_liability.basis": ("承担全部责任的依据", "记载该承担的赔偿协议条款或文书"),
    "joint_and_several.ground": ("连带责任的依据", "共同侵权、分别侵权且每人均足以造成全部损害，或当事人约定"),
    "joint_and_several.basis": ("连带责任认定依据", "认定连带责任的判决书、协议或文书"),
    "rounding.step": ("取整单位", "赔偿金额取整至的单位（元）：0.01（默认，到分）、1（到元）、10、100 …，四舍五入"),
    "rounding.at": ("取整位置", "逐项取整，或合计取整（另列尾数调整）"),
    "rounding.basis": ("取整依据", "该取整方式所依据的判决书或文书（取整单位不是 0.01 时必填）"),
    "item": ("公开事项", "赔偿协议、裁判文书、资金使用情况、修复效果或涉及公共利益的重大事项"),
    "where": ("公开途径", "公开的网站、公告栏等"),
    "evidence_type": ("材料形式", "鉴定意见、鉴定评估报告、专家意见或监测报告"),
    "commissioned_by": ("委托方", "赔偿权利人指定部门、共同委托、公安机关、检察机关、其他部门或赔偿义务人"),
    "adopted_in_enforcement": ("已在行政执法中采用", "其他部门委托的监测报告是否已在行政执法过程中采用（上海细则第十五条）"),
    "contents": ("鉴定评估内容", "损害判定、期间损失范围、因果关系分析、损害量化、修复方案；多个值用分号分隔"),
    "punitive.facts.intentional_violation.established": ("故意违法已认定", "侵权人违反法律规定故意污染环境、破坏生态"),
    "punitive.facts.intentional_violation.evidence": ("故意违法的证据", "认定该事实的证据或裁判"),
    "punitive.facts.pollution_or_destruction.established": ("污染或破坏已认定", "存在污染环境、破坏生态的行为"),
    "punitive.facts.pollution_or_destruction.evidence": ("污染或破坏的证据", "认定该事实的证据或裁判"),
    "punitive.facts.serious_consequences.established": ("严重后果已认定", "造成严重后果"),
    "punitive.facts.serious_consequences.evidence": ("严重后果的证据", "认定该事实的证据或裁判"),
    "punitive.multiple": ("倍数", "惩罚性赔偿的倍数，如 1.5"),
    "punitive.reasons": ("确定倍数的考虑因素", "恶意程度、后果、获利、修复等；多个值用分号分隔"),
    "punitive.override.reason": ("超过一般上限的理由", "倍数超过一般不超过的上限时，说明理由"),
    "instalment_plan.basis": ("分期依据", "生效判决、经司法确认的协议或未经司法确认的协议"),
    "instalment_plan.agreement_date": ("协议（判决）日期", "协议签署或判决生效的日期"),
    "instalment_plan.obligor": ("分期义务人", "赔偿义务人编号（默认：全体义务人）"),
    "instalment_plan.amount": ("分期金额", "分期履行的金额（默认：应付净额）"),
    "instalment_plan.capacity.insufficient": ("赔偿能力不足", "赔偿义务人赔偿能力是否不足"),
    "instalment_plan.capacity.basis": ("赔偿能力依据", "财务报表、审计报告等证据"),
    "instalment_plan.first_due": ("首期到期日", "第一期的到期日"),
    "instalment_plan.count": ("期数", "分期的期数"),
    "instalment_plan.frequency": ("间隔", "每期间隔（按月、按季、按年）"),
    "instalment_plan.dates": ("各期到期日", "逐期列出到期日；多个值用分号分隔"),
    "instalment_plan.roll": ("休息日顺延", "到期日为休息日的，顺延至其后第一个工作日（《民法典》第二百零三条）"),
    "instalment_plan.agreed_daily_rate": ("约定日利率", "未经司法确认的协议约定的利率"),
    "instalment_plan.as_of": ("对账日", "对账单截至日（默认：最后一笔付款日，其次协议日期）"),
    "facts.clue_referred": ("线索系移送", "线索由其他部门或机构移送而来（江苏实施意见（三）的三十日初步核查期限只约束接受移送的部门）"),
    "law_dates.substantive.date": ("实体规则适用日", "实体规则（赔偿范围、估值方法）按此日期适用（默认：损害发生日）"),
    "law_dates.substantive.reason": ("实体规则日期理由", "为何适用该日期（如损害在 2021-01-01 之后显现）"),
    "law_dates.punitive.date": ("惩罚性赔偿规则适用日", "惩罚性赔偿规则按此日期适用（默认：损害发生日）"),
    "law_dates.punitive.reason": ("惩罚性赔偿日期理由", "为何适用该日期"),
    "law_dates.procedural.date": ("程序规则适用日", "程序规则（路径、磋商、期限）按此日期适用（默认：各步骤之日）"),
    "law_dates.procedural.reason": ("程序规则日期理由", "为何适用该日期"),
    "law_dates.consultation.date": ("磋商规则适用日", "磋商路径、启动条件、视为磋商不成按此日期适用（默认：磋商告知书送达日，否则首次磋商会议日）"),
    "law_dates.consultation.reason": ("磋商规则日期理由", "为何适用该日期"),
    # lists
    "quantity_basis": ("数量依据", "数量的来源（判决、报告）"),
    "inputs.source": ("金额来源", "金额的出处（判决、报告、协议）"),
    "inputs.of": ("基数项编号", "作为比例基数的项目编号：损害项、其清单行或费用项（先行计算）"),
    "inputs.ratio": ("比例", "比例，如 30% 填 0.3"),
    "id": ("编号", "本表内唯一的编号，如 D1、C1"),
    "name": ("名称", "名称或姓名"),
    "kind": ("类型", "从下拉列表选择"),
    "size": ("企业规模", "大型、中型、小型、微型"),
    "share": ("承担份额", "按份责任的份额，如 0.7；全体义务人合计须等于 1（默认：均分）"),
    "#": ("序号", "损害项在各方法表之间的先后顺序"),
    "label": ("名称", "损害项、工程量或费用的名称"),
    "element": ("环境要素", "受损的环境要素"),
    "restorable": ("可修复", "损害能否修复"),
    "category": ("赔偿类别", "计入《民法典》第一千二百三十五条的哪一类"),
    "basis": ("依据", "数据来源：报告章节、表格、发票或判决"),
    "damage_ref": ("对应损害", "本项估算的是哪一项损害（默认：本项编号）；同一损害的两个计入项不得计入同一类别"),
    "cross_check": ("仅作核对", "计算并列示，但不计入合计"),
    "damage_item_id": ("所属损害项编号", "本行所属损害项的编号"),
    "quantity": ("工程量", "工程量"),
    "unit_price": ("单价", "每单位工程量的价格，如 元/m³、万元/hm²、元/项"),
    "rate": ("费率", "占计费基数的比例，如 5% 填 0.05"),
    "inputs.quantity": ("排放量", "污染物排放量 E（t 或 m³）"),
    "inputs.unit_cost": ("单位治理成本", "单位治理成本 C（元/t 或 元/m³）"),
    "inputs.unit_cost_provenance": ("单位成本取得方法", "实际调查法、成本函数法、参考治理费用法或文献"),
    "inputs.unit_cost_basis": ("单位成本依据", "单位治理成本的调查、发票或报告章节"),
    "inputs.density": ("密度", "t 与 m³ 换算用的密度（如 t/m³）"),
    "inputs.gamma": ("调整系数", "调整系数 γ"),
    "inputs.gamma.basis": ("调整系数依据", "取值来源（报告章节、表格、判决）"),
    "inputs.recommended_2014.multiplier": ("推荐倍数", "《环境损害鉴定评估推荐方法（第II版）》的倍数"),
    "inputs.recommended_2014.multiplier.basis": ("倍数依据", "取值来源（报告章节、表格、判决）"),
    "inputs.recommended_2014.receiving_environment": ("受纳环境", "受纳环境类型"),
    "inputs.recommended_2014.function_class": ("功能区类别", "地表水 I–V 类；环境空气一类或二类"),
    "inputs.recommended_2014.range.low": ("倍数区间下限", "倍数区间的下限"),
    "inputs.recommended_2014.range.high": ("倍数区间上限", "倍数区间的上限；开口区间（如 I 类 >8）不填"),
    "inputs.recommended_2014.range.basis": ("区间依据", "区间所依据的原文"),
    "inputs.method_version": ("方法版本", "适用的方法版本（2021-01-01 以前的损害须注明）"),
    "inputs.damage_date": ("损害日期", "默认：案件的损害发生日"),
    "type": ("类型", "从下拉列表选择"),
    "low": ("下限", "下限"),
    "high": ("上限", "上限"),
    "mode": ("众数", "三角分布的众数"),
    "median": ("中位数", "对数正态分布的中位数"),
    "gsd": ("几何标准差", "几何标准差，不小于 1"),
    "inputs.analysis": ("分析类型", "生境等价（HEA）或资源等价（REA）"),
    "inputs.injured_quantity": ("受损数量", "HEA：受损面积（hm²、亩、m²）；REA：资源单位"),
    "inputs.baseline": ("基线水平", "基线服务水平 b（与服务水平路径同一量纲，如 100）"),
    "start_level": ("起始水平", "服务水平路径的起始水平"),
    "end_level": ("终止水平", "服务水平路径的终止水平"),
    "start_year": ("起始年", "默认：期间的第一年"),
    "end_year": ("终止年", "默认：恢复年（受损）或项目结束年"),
    "initial_level": ("初始水平", "初始服务水平"),
    "inputs.injury_year": ("受损年", "损害发生的年份"),
    "inputs.recovery_year": ("恢复年", "期间损失的最后一年，或 never（不能恢复）"),
    "inputs.interim_end_year": ("期间损失终止年", "不能恢复时：期间损失的最后一年"),
    "inputs.horizon_year": ("永久损失计至年", "不能恢复时：计入永久损失的最后一年"),
    "inputs.project.baseline_level": ("项目地基线水平", "补偿性项目所在地无项目时的服务水平 b_R"),
    "inputs.project.start_year": ("项目起始年", "补偿性项目开始的年份"),
    "inputs.project.end_year": ("项目终止年", "补偿性项目结束的年份"),
    "inputs.project.unit_cost": ("项目单位成本", "每单位项目的成本（元/hm²、元/亩；REA：元/资源单位）"),
    "inputs.project.basis": ("项目依据", "项目成本的来源"),
    "inputs.base_year": ("基准年", "索赔基准年 t_b：之前的年份复利折算，之后的年份贴现"),
    "inputs.discount_rate": ("贴现率", "年贴现率，如 3% 填 0.03；必填"),
    "inputs.timing": ("计息时点", "年初、年中或年末（默认：政策参数）"),
    "year": ("年份", "年份"),
    "level": ("水平", "该年的服务水平"),
    "inputs.unit_value": ("单位价值", "每单位数量每年的价值 V，如 元/(hm²·年)"),
    "inputs.loss_fraction": ("损失比例", "服务功能损失的比例 f，介于 0 与 1 之间"),
    "inputs.years": ("损失年份", "损失发生的年份（或填起始年、终止年）；多个值用分号分隔"),
    "inputs.start_year": ("起始年", "损失起始年"),
    "inputs.end_year": ("终止年", "损失终止年"),
    "inputs.permanent.method": ("永久损失方法", "永久性损害的计算方法"),
    "inputs.permanent.first_year": ("永久损失首年", "永久损失的第一年（估值时点，年初）"),
    "inputs.permanent.horizon_years": ("计算年限", "计入的年数 H（仅限年限法）"),
    "inputs.aggregation": ("汇总方式", "中位数（默认）、截尾均值或均值"),
    "pool": ("专家库", "专家所选自的专家库或专家委员会"),
    "amounts": ("各类别金额", "专家对各类别给出的金额"),
    "ranges": ("各类别区间", "各类别的金额区间（选填）"),
    "amount": ("金额", "金额"),
    "date": ("日期", "日期"),
    "evidence": ("证据", "发票、合同或收据编号"),
    "outcome": ("结果", "未达成一致、达成协议、义务人无故不参与、义务人退出，或计划中（尚未召开）"),
    "authority": ("机关", "作出决定的机关"),
    "reference": ("文号", "文书编号"),
    "equivalent_value": ("等值金额", "替代修复的等值金额"),
    "ordered_by": ("决定机关", "作出抵扣决定的机关或法院"),
    "document": ("文书", "规定抵扣的判决或协议条款"),
    "base_amount": ("计算基数", "计算抵扣的基数（如已投入的金额）"),
    "cap": ("上限", "最多可抵扣的金额"),
    "conditions": ("条件", "抵扣的条件"),
    "deadline": ("期限", "满足条件的期限"),
    "met_on": ("条件满足日", "条件满足的日期（未满足不填）"),
    "against": ("抵扣对象", "抵扣哪一部分"),
    "value": ("金额", "金额"),
    "effective": ("有效", "担保是否合法有效"),
}

#: Kind hints in Chinese (the zh template); the English and bilingual ones are in assess.formats.excel.
KIND_ZH = {
    "decimal": "数字", "float": "数字", "int": "整数", "date": "日期（YYYY-MM-DD）", "datetime": "日期时间",
    "bool": "是/否（TRUE/FALSE）", "seq": "序号 1、2、3…", "json": "JSON 文本", "list": "列表，用分号分隔",
    "str": "文本", "parent": "所属上级表的编号",
}
DISTRIBUTION_NOTE = '不确定性分布（选填），JSON，如 {"type": "triangular", "low": "30", "mode": "35.5", "high": "42"}'


def zh_label(key: str) -> tuple[str, str] | None:
    """(header, note) in Chinese for a column key, or None when this table has none.

    ``X.value`` / ``X.unit`` / ``X.distribution`` of a quantity take X's label with （数值）/（单位）/（分布）;
    ``inputs.path.type`` etc. fall back to the last name.
    """
    for suffix, tag in ((".value", "（数值）"), (".unit", "（单位）"), (".distribution", "（分布）")):
        if key.endswith(suffix) and key != suffix[1:]:
            base = zh_label(key[: -len(suffix)])
            if base is None:
                return None
            return base[0] + tag, DISTRIBUTION_NOTE if tag == "（分布）" else base[1]
    if key in ZH:
        return ZH[key]
    last = key.rsplit(".", 1)[-1]
    return ZH.get(last)


#: Chinese labels of choice codes (dropdowns of the zh template show these; the reader maps them back).
CHOICE_ZH: dict[str, str] = {
    "HEA": "生境等价（HEA）", "REA": "资源等价（REA）",
    "actual_survey": "实际调查法", "cost_function": "成本函数法", "reference_cost": "参考治理费用法", "literature": "文献",
    "administrative_fine": "行政罚款", "criminal_fine": "刑事罚金", "confiscation": "没收", "other": "其他",
    "administrative_penalty": "行政处罚", "inspection": "督察", "emergency": "突发环境事件", "crime": "刑事案件",
    "protected_zone": "自然保护地", "routine_supervision": "日常监管", "petition_report": "信访举报",
    "assigned_by_superior": "上级交办", "procuratorate": "检察机关",
    "agreed": "同意", "refused": "明确拒绝", "no_reply": "未答复（视为拒绝）",
    "judgment": "生效判决", "confirmed_agreement": "经司法确认的协议", "agreement": "未经司法确认的协议",
    "no_agreement": "未达成一致", "obligor_absent": "义务人无故不参与", "obligor_withdrew": "义务人退出", "planned": "计划中（尚未召开）",
    "surface_water": "地表水", "groundwater": "地下水", "sediment": "沉积物", "soil": "土壤", "air": "环境空气",
    "ambient_air": "环境空气", "forest": "森林", "grassland": "草原", "wetland": "湿地", "wildlife": "野生动植物",
    "ecosystem": "生态系统",
    "interim_service_loss": "（一）期间服务功能损失", "permanent_loss": "（二）永久性损害损失",
    "assessment_costs": "（三）调查、鉴定评估费用", "remediation_costs": "（四）清除污染、修复费用",
    "prevention_costs": "（五）防止损害发生和扩大费用",
    "enterprise": "企业", "individual": "个人", "other_organisation": "其他组织",
    "large": "大型", "medium": "中型", "small": "小型", "micro": "微型",
    "none": "无", "general": "一般", "larger": "较大", "major": "重大", "especially_major": "特别重大",
    "one_area": "同一设区市（区）内", "several_areas": "跨多个设区市（区）", "beyond_province": "跨省（市）",
    "monthly": "按月", "quarterly": "按季",
    "next_working_day": "顺延至下一工作日",
    "point": "确定值", "uniform": "均匀分布", "triangular": "三角分布", "lognormal": "对数正态分布",
    "linear": "线性", "stepwise": "阶梯", "explicit": "逐年给出",
    "start": "年初", "mid": "年中", "end": "年末",
    "perpetuity": "永续法", "horizon": "年限法",
    "median": "中位数", "trimmed_mean": "截尾均值", "mean": "均值",
    "court": "法院", "treasury": "国库", "restoration_fund": "修复资金", "department_recovery": "返还垫付部门",
    "cash_deposit": "保证金", "mortgage": "抵押", "pledge": "质押", "surety": "保证",
    "off_site_planting": "异地补植", "habitat_creation": "生境营造", "carbon_sink_purchase": "认购碳汇",
    "labour_in_lieu": "劳务代偿", "technology_upgrade_offset": "技改抵扣",
    "gbt39793_2_2020": "GB/T 39793.2-2020", "hbzf_2017_1488": "环办政法函〔2017〕1488号",
    "hb_2014_90": "环办〔2014〕90号（推荐方法第II版）",
    "appraisal_report": "鉴定意见书／评估报告", "expert_opinion": "专家意见",
    "payment": "支付", "escrow": "提存",
    "agreement_or_judgment": "赔偿协议或裁判文书", "appraisal_opinion": "鉴定意见", "assessment": "鉴定评估",
    "assessment_report": "鉴定评估报告", "consultation": "磋商", "investigation": "调查", "restoration": "修复",
    "monitoring_report": "监测报告", "passed": "通过", "failed": "未通过", "full": "全部履行", "partial": "部分履行",
    "fund_use": "资金使用情况", "major_public_interest_matter": "重大公共利益事项", "restoration_effect": "修复效果",
    "rights_holder": "赔偿权利人指定的部门", "joint": "与赔偿义务人共同委托", "police": "公安机关", "obligor": "赔偿义务人",
    "other_department": "其他部门",
    "damage_determination": "生态环境损害判定", "interim_loss_scope": "期间损失范围", "causation": "因果关系分析",
    "quantification": "损害量化", "restoration_plan": "修复方案制定",
}
#: Where one code means different things in different fields: (field name, code) → label.
CHOICE_ZH_BY_FIELD: dict[tuple[str, str], str] = {
    ("outcome", "agreement"): "达成协议",
    ("ordered_by", "agreement"): "赔偿协议",
    ("source", "judgment"): "裁判文书", ("source", "agreement"): "赔偿协议",
    ("item", "agreement"): "赔偿协议", ("item", "judgment"): "诉讼裁判文书", ("performance", "none"): "不履行",
    ("at", "line"): "逐项取整", ("at", "total"): "合计取整（另列尾数调整）",
    ("ground", "joint_tort"): "共同实施侵权行为（民法典第一千一百六十八条）",
    ("ground", "each_sufficient"): "分别侵权且每人均足以造成全部损害（第一千一百七十一条）",
    ("ground", "agreement"): "当事人约定（第一百七十八条）",
}


def choice_label(field: str, code: object, lang: str) -> str:
    """What a dropdown shows for ``code``: the Chinese label (zh), '中文（code）' (both), the code (en)."""
    text = str(code)
    if lang == "en":
        return text
    zh = CHOICE_ZH_BY_FIELD.get((field.rsplit(".", 1)[-1], text)) or CHOICE_ZH.get(text)
    if zh is None or zh == text:
        return text
    return zh if lang == "zh" else f"{zh}（{text}）"


def choice_code(field: str, value: object, choices: tuple) -> object:
    """The code a cell means: the code itself, '中文（code）', or the Chinese label alone (this column's)."""
    text = str(value).strip()
    by_text = {str(c): c for c in choices}
    if text in by_text:
        return by_text[text]
    for open_, close in (("（", "）"), ("(", ")")):
        if text.endswith(close) and open_ in text:
            inner = text[text.rindex(open_) + 1:-1].strip()
            if inner in by_text:
                return by_text[inner]
    labels = {choice_label(field, c, "zh"): c for c in choices}
    return labels.get(text, value)
