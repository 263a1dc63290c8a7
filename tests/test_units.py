"""The single pint registry: domain units, the 亩 trap, service years, wrong dimensions."""

from fractions import Fraction

import pytest

from factors.errors import UnitError
from factors.units import check_dimension, exact_factor, float_factor, parse_unit


def test_mu_is_the_chinese_mu_not_milli_atomic_mass():
    # 1 亩 = 10000/15 m² = 666.67 m²; stock pint would read 'mu' as a milli-atomic-mass-unit
    assert exact_factor("亩", "m²") == Fraction(10000, 15)
    assert exact_factor("mu", "m²") == Fraction(10000, 15)
    assert exact_factor("亩", "hm²") == Fraction(1, 15)   # 15 亩 = 1 hm²
    assert exact_factor("公顷", "亩") == 15


def test_money_units():
    assert exact_factor("万元", "元") == 10000
    assert exact_factor("分", "元") == Fraction(1, 100)
    assert exact_factor("CNY", "元") == 1


def test_rates():
    # 元/(亩·年) → 元/(hm²·a): × 15
    assert exact_factor("元/(亩·年)", "元/(hm²·a)") == 15
    assert exact_factor("万元/t", "元/kg") == 10
    assert exact_factor("元/L", "元/m³") == 1000


def test_year_is_365_days_for_every_spelling():
    for spelling in ("年", "a", "year", "years", "yr"):
        assert exact_factor(spelling, "day") == 365


def test_julian_year_is_refused():
    with pytest.raises(UnitError, match="365-day"):
        parse_unit("julian_year", "x")


@pytest.mark.parametrize("unit, expected", [("kg", "m³"), ("元", "t"), ("亩", "元"), ("m³", "hm²")])
def test_wrong_dimension_names_the_field(unit, expected):
    with pytest.raises(UnitError) as ei:
        check_dimension(unit, expected, "damage_items[0].inputs.quantity.unit")
    assert str(ei.value).startswith("damage_items[0].inputs.quantity.unit: expected a unit convertible to")


@pytest.mark.parametrize("bad", ["", "  ", "furlongs_per_yuan", "元/(t", None])
def test_unknown_units(bad):
    with pytest.raises(UnitError):
        parse_unit(bad, "f")


def test_float_factor_matches_exact():
    assert float_factor("亩", "hm²") == pytest.approx(1 / 15, rel=1e-15)


@pytest.mark.parametrize("unit", ["元/0", "t/(0)", "1/0"])
def test_arithmetic_in_a_unit_is_a_unit_error(unit):
    # found by the service's schemathesis run: pint raised ZeroDivisionError (an internal error, HTTP 500)
    with pytest.raises(UnitError):
        parse_unit(unit, "x.unit")
