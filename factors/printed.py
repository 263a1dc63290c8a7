"""Amounts as Chinese documents print them 文书金额: ``320.3728万元``, ``1,441.6776 万元``, ``5.7万余元``,
``壹仟肆佰肆拾壹万陆仟柒佰柒拾陆元整`` — read exactly, with the precision they were printed at.

A printed figure is a value *and* a precision: ``320.3728万元`` is 3 203 728 元 to the nearest 元
(0.0001 万元), ``12000元`` is to the nearest 元, ``42960.00元`` to the fen, ``伍拾肆万叁仟壹佰捌拾伍元贰角玖分``
to the fen, ``…元整`` to the 元.  ``余``/``多`` ("more than": ``5.7万余元``) makes the figure a lower bound.
An approximate figure (``约``, ``左右``, ``大约``) cannot be checked and is refused.  Capital numerals
(大写) are read with cn2an (a maintained converter of Chinese numerals); the 元/角/分 structure is ours.

This module only reads text; comparing at the printed precision is :func:`PrintedAmount.matches`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from factors import vocabulary
from factors.errors import InputError
from factors.money import to_display_step
from factors.money import to_fen

YUAN = Decimal(1)
WAN = Decimal(10000)
FEN = Decimal("0.01")
MAX_TEXT = 80

#: Words that make a figure approximate (not checkable).
APPROXIMATE = ("约", "大约", "左右", "上下", "近", "将近", "approximately", "about", "approx")
#: Words that make a figure a lower bound (民间与裁判文书用语 "余"/"多": "more than").
MORE_THAN = ("余", "多")

_ROUND_WORDS = {Decimal(10): ("精确到十元", "to 10 元"), Decimal(100): ("精确到百元", "to 100 元"),
                Decimal(1000): ("精确到千元", "to 1,000 元"), Decimal(10000): ("精确到万元", "to 10,000 元 (1 万元)")}
_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿〇一二三四五六七八九十百千两"
#: ASCII digits only (``\d`` would read 全角 １００ and other scripts' digits: the input vocabulary refuses them).
_ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


@dataclass(frozen=True)
class PrintedAmount:
    """A figure as printed: its value in 元, the precision it was printed at, and whether it is a lower bound."""

    value: Decimal          # in 元
    quantum: Decimal        # the printed precision in 元 (0.01, 1, …)
    lower_bound: bool       # "余"/"多": the true figure is at least ``value``
    text: str               # as printed

    @property
    def precision_text(self) -> dict[str, str]:
        """The precision in words, for the report."""
        q = self.quantum
        if q == FEN:
            zh, en = "精确到分", "to the fen"
        elif q == Decimal("0.1"):
            zh, en = "精确到角", "to the jiao (0.1 元)"
        elif q == YUAN:
            zh, en = "精确到元", "to the yuan"
        elif q < FEN:
            zh, en = f"精确到{q}元", f"to {q} 元"
        elif q in _ROUND_WORDS:
            zh, en = _ROUND_WORDS[q]
        else:
            zh, en = f"精确到{_plain(q)}元", f"to {_plain(q)} 元"
        if self.lower_bound:
            zh, en = f"下限（“余”），{zh}", f"a lower bound (余, 'more than'), {en}"
        return {"zh": zh, "en": en}

    def matches(self, exact: Decimal) -> bool:
        """Whether ``exact`` (元, to the fen) is what this printed figure says, at its precision.

        Exact at the fen; otherwise ``exact`` rounded half-up to the printed quantum equals the printed
        value (so 3 203 727.60 元 prints as 320.3728万元); a lower bound holds when ``exact`` ≥ value.
        """
        if self.lower_bound:
            return exact >= self.value
        if self.quantum <= FEN:
            return exact == self.value
        return to_display_step(exact, self.quantum) == self.value

    def difference(self, exact: Decimal) -> Decimal:
        """Printed − exact in 元 (0 when it matches at the printed precision)."""
        return Decimal(0) if self.matches(exact) else self.value - exact


def _clean(d: Decimal) -> Decimal:
    """Drop trailing zeros after the point (3203728.0000 → 3203728), keeping the value exact."""
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


def parse_printed_amount(text: object, where: str) -> PrintedAmount:
    """Read one printed amount; ``where`` names the claim line in errors.

    >>> a = parse_printed_amount("320.3728万元", "x")
    >>> (a.value, a.quantum, a.lower_bound)
    (Decimal('3203728'), Decimal('1'), False)
    >>> parse_printed_amount("5.7万余元", "x").lower_bound
    True
    >>> parse_printed_amount("壹仟肆佰肆拾壹万陆仟柒佰柒拾陆元整", "x").value
    Decimal('14416776')
    >>> parse_printed_amount("伍拾肆万叁仟壹佰捌拾伍元贰角玖分", "x").value
    Decimal('543185.29')
    """
    if isinstance(text, bool) or text is None:
        raise InputError(where, "an amount as printed, such as 42960.00元, 320.3728万元 or 壹万元整", text)
    if isinstance(text, (Decimal, int, float)):   # a JSON number: the input vocabulary's decimal
        try:
            return _from_decimal(vocabulary.to_decimal(text), text, where)
        except vocabulary.Refused as exc:
            raise InputError.refused(where, exc) from None
    if not isinstance(text, str):
        raise InputError(where, "an amount as printed, such as 42960.00元, 320.3728万元 or 壹万元整", type(text).__name__)
    raw = text
    if len(raw) > MAX_TEXT:
        raise InputError(where, f"an amount of at most {MAX_TEXT} characters", raw[:20] + "…")
    if re.search(r"[0-9][\s\u3000]+[0-9]", raw):   # "1 000": digits are not grouped by spaces (input vocabulary)
        raise InputError(where, "an amount as printed, such as 42960.00元, 1,441.6776万元, 5.7万余元 or 壹万元整", raw)
    s = re.sub(r"[\s\u3000]", "", raw).replace("，", ",").replace("．", ".")
    s = s.removeprefix("人民币").removeprefix("¥").removeprefix("￥").removeprefix("RMB").removeprefix("CNY")
    if any(w in s.lower() for w in APPROXIMATE):
        raise InputError(where, "a definite amount (an approximate figure such as 约…/…左右 cannot be checked)", raw)
    if not s:
        raise InputError(where, "an amount as printed, such as 42960.00元", raw)
    if not re.search(r"[0-9]", s) and any(ch in _CAPITAL_DIGITS for ch in s):
        return _capital(s, raw, where)
    if re.fullmatch(vocabulary.DECIMAL_PATTERN, s) and "e" in s.lower():   # 1e3: a plain decimal of the vocabulary
        return parse_printed_amount(_vocabulary_decimal(s, where), where)
    m = re.fullmatch(r"(" + _ASCII_NUMBER.pattern + r")(万)?(余|多)?(元)?(整)?", s)
    if not m:
        raise InputError(where, "an amount as printed, such as 42960.00元, 1,441.6776万元, 5.7万余元 or 壹万元整", raw)
    number, wan, more = m.group(1), m.group(2), m.group(3)
    d = _vocabulary_decimal(number, where)
    exp = -d.as_tuple().exponent if d.as_tuple().exponent < 0 else 0
    unit = WAN if wan else YUAN
    quantum = unit * Decimal(10) ** -exp
    if not wan and exp == 0:
        quantum = YUAN
    value = _clean(d * unit) if wan else d
    quantum = _clean(quantum)
    _bounded(value, where, raw)
    if quantum < FEN:
        raise InputError(where, "an amount to the fen at most (no more than two decimals in 元, six in 万元)", raw)
    return PrintedAmount(value=value, quantum=quantum, lower_bound=bool(more), text=raw)


def _vocabulary_decimal(number: str, where: str) -> Decimal:
    """The number part of a printed amount, read (and bounded) by the input vocabulary."""
    try:
        return vocabulary.to_decimal(number)
    except vocabulary.Refused as exc:
        raise InputError.refused(where, exc) from None


def _from_decimal(d: Decimal, raw: object, where: str) -> PrintedAmount:
    if not d.is_finite():
        raise InputError(where, "a finite amount", raw)
    _bounded(d, where, raw)
    exp = -d.as_tuple().exponent if d.as_tuple().exponent < 0 else 0
    if exp > 2:
        raise InputError(where, "an amount to the fen (at most two decimals)", raw)
    return PrintedAmount(value=d, quantum=FEN if exp else YUAN, lower_bound=False, text=str(raw))


def _bounded(value: Decimal, where: str, raw: object) -> None:
    if abs(value) >= Decimal(10) ** 20:
        raise InputError(where, "an amount below 10^20 元", raw)


def _capital(s: str, raw: str, where: str) -> PrintedAmount:
    """大写 (or lower-case Chinese numerals) with 元/角/分, 整, 万, 余."""
    import cn2an

    more = s.endswith(("余元", "多元"))
    body = s
    for w in ("余元", "多元"):
        if body.endswith(w):
            body = body[: -len(w)] + "元"
    m = re.fullmatch(r"(?:(.+?)(?:元|圆))?零?(?:(.)角)?零?(?:(.)分)?(整|正)?", body)
    if not m or not (m.group(1) or m.group(2) or m.group(3)):
        # a bare numeral with 万元 or no unit at all
        m2 = re.fullmatch(r"(.+?)(万)?(元|圆)?(整|正)?", body)
        if not m2:
            raise InputError(where, "an amount in Chinese numerals such as 壹万贰仟元整", raw)
        yuan_text, jiao, fen, whole = m2.group(1) + (m2.group(2) or ""), None, None, m2.group(4)
    else:
        yuan_text, jiao, fen, whole = m.group(1), m.group(2), m.group(3), m.group(4)
    try:
        yuan = Decimal(int(cn2an.cn2an(yuan_text, "smart"))) if yuan_text and yuan_text not in ("零", "〇") else Decimal(0)
        j = Decimal(int(cn2an.cn2an(jiao, "smart"))) if jiao else Decimal(0)
        f = Decimal(int(cn2an.cn2an(fen, "smart"))) if fen else Decimal(0)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InputError(where, "an amount in Chinese numerals such as 壹万贰仟元整", raw) from None
    if j > 9 or f > 9:
        raise InputError(where, "at most 9 角 and 9 分", raw)
    value = yuan + j / 10 + f / 100
    _bounded(value, where, raw)
    quantum = FEN if (fen or (jiao and not whole)) else (Decimal("0.1") if jiao else YUAN)
    if fen or jiao:
        quantum = FEN if fen else Decimal("0.1")
    return PrintedAmount(value=value, quantum=quantum, lower_bound=more, text=raw)


DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿", "亿亿")


def _group(n: int) -> str:
    """A number 1..9999 in capital numerals, without a leading 零 (the caller adds it)."""
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
    """A whole number ≥ 0 in capital numerals: 14416776 → 壹仟肆佰肆拾壹万陆仟柒佰柒拾陆 (up to 10^20 − 1)."""
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


def daxie(amount: Decimal | str | int) -> str:
    """中文大写金额 of an amount in 元, to the fen, as judgments print it (``壹拾万元零伍分``, ``…元整``).

    Source: 中国人民银行《支付结算办法》（银发〔1997〕393号）附件一《正确填写票据和结算凭证的基本规定》:
    a leading 拾 is written 壹拾; 整 after 元 (none after 角 or 分); a 0 inside is written 零, several 0
    in a row once; 角 0 with 分 not 0 is written 元零…分; where 元 is 0 and 角 is not, the 零 that the
    rule allows either way is not written (壹仟陆佰捌拾元叁角贰分).  The amount is rounded half-up to the
    fen first (:func:`factors.money.to_fen`).  Written here, not with cn2an's ``an2cn(x, "rmb")``, which
    cuts digits past the fen instead of rounding ('1.005' → 壹元整) and stops at 16 digits (amounts here
    go up to 10^20 元); cn2an is used for *reading* 大写 above.

    >>> daxie(Decimal("543185.29"))
    '伍拾肆万叁仟壹佰捌拾伍元贰角玖分'
    >>> daxie(Decimal("14416776"))
    '壹仟肆佰肆拾壹万陆仟柒佰柒拾陆元整'
    >>> daxie("16409.02")
    '壹万陆仟肆佰零玖元零贰分'
    """
    value = to_fen(Decimal(str(amount)))
    sign = "负" if value < 0 else ""
    fen_total = int(abs(value) * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    out = integer_daxie(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return sign + (out or "零元") + "整"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    return sign + out


__all__ = ["PrintedAmount", "parse_printed_amount", "daxie", "integer_daxie", "APPROXIMATE", "MORE_THAN"]
