"""中文大写金额: an amount in 元 written in capital Chinese numerals, as judgments and vouchers print it.

Source: 中国人民银行《支付结算办法》（银发〔1997〕393号）附件一《正确填写票据和结算凭证的基本规定》:

* 大写数字用 零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整; a leading 拾 is written 壹拾 (壹拾伍元);
* "中文大写金额数字到'元'为止的，在'元'之后，应写'整'字；在'角'之后可以不写'整'字"
  (this module writes 整 after 元 and not after 角; nothing after 分);
* a 0 between digits is written 零, several 0 in a row once; where the 元 place is 0 but 角 is not,
  a 零 "可以只写一个零字，也可以不写" (this module does not write it: 壹仟陆佰捌拾元叁角贰分);
* "角位是'0'，而分位不是'0'时，中文大写金额'元'后面应写'零'字" (壹万陆仟肆佰零玖元零贰分).

The amount is rounded half-up to the fen first (factors.money.to_fen), exact Decimal throughout.
cn2an 0.5.24 (PyPI) was tried: ``an2cn(x, "rmb")`` agrees on well-formed amounts (543185.29, 16409.02,
14416776) but cuts digits past the fen instead of rounding ('1.005' → 壹元整, '0.015' → 壹分),
stops at 16 digits (this tool allows amounts up to 10^20 元) and brings a text-preprocessing
dependency; this small exact function (Decimal, half-up to the fen) is kept instead.
"""

from __future__ import annotations

from decimal import Decimal

from factors.money import to_fen

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿", "亿亿")


def _group(n: int) -> str:
    """A number 1..9999 without leading 零 (the caller adds it)."""
    out, zero = [], False
    for place in (3, 2, 1, 0):
        d = n // 10 ** place % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + _SMALL[place])
    return "".join(out)


def integer_daxie(n: int) -> str:
    """A non-negative whole number in capital numerals: 14416776 → 壹仟肆佰肆拾壹万陆仟柒佰柒拾陆."""
    if n < 0:
        raise ValueError("negative")
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(_GROUPS):
        raise ValueError("amount too large for 大写")
    out: list[str] = []
    pending_zero = False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or g < 1000):
            out.append("零")
        out.append(_group(g) + _GROUPS[i])
        pending_zero = False
    return "".join(out)


def money_daxie(amount: Decimal | str | int) -> str:
    """543185.29 → 伍拾肆万叁仟壹佰捌拾伍元贰角玖分; 14416776 → 壹仟肆佰肆拾壹万陆仟柒佰柒拾陆元整.

    >>> money_daxie("16409.02")
    '壹万陆仟肆佰零玖元零贰分'
    >>> money_daxie("0.50")
    '伍角'
    """
    value = to_fen(Decimal(str(amount)))
    sign = "负" if value < 0 else ""
    fen_total = int(abs(value) * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    out = ""
    if yuan:
        out = integer_daxie(yuan) + "元"
    if jiao == 0 and fen == 0:
        return sign + (out or "零元") + "整"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif yuan:  # 元 then 零 then 分
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    return sign + out
