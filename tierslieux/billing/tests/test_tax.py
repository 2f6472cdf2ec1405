"""The rounding rule of tax.totals (docs/algorithms/tax.md) and the credit-note VAT cap."""

from decimal import Decimal

import pytest

from tierslieux.billing import crediting, tax
from tierslieux.billing.tax import LineAmount, totals

pytestmark = pytest.mark.pure
D = Decimal


def lines(*specs: tuple[str, str, str]) -> list[LineAmount]:
    return [LineAmount(D(q), D(p), code) for q, p, code in specs]


def test_three_lines_of_ten_cents_at_twenty_percent_are_exact_in_decimal():
    result = totals(lines(*[("1", "0.1", "vat_20")] * 3))

    assert (result.net, result.tax, result.gross) == (D("0.30"), D("0.06"), D("0.36"))
    assert [(t.code, t.base, t.tax) for t in result.by_rule] == [("vat_20", D("0.30"), D("0.06"))]


def test_vat_is_rounded_once_per_rate_not_line_by_line():
    # Line by line: 3 × round(0.005) = 0.03; on the rate's base: round(0.015) = 0.02.
    result = totals(lines(*[("1", "0.05", "vat_10")] * 3))

    assert result.tax == D("0.02")
    assert result.gross == result.net + result.tax == D("0.17")


@pytest.mark.parametrize(
    ("base", "vat"),
    [
        ("1.00", "0.06"),  # 0.055 → half up
        ("0.10", "0.01"),  # 0.0055
        ("9.00", "0.50"),  # 0.495
        ("0.09", "0.00"),  # 0.00495
        ("19.00", "1.05"),  # 1.045
    ],
)
def test_five_point_five_percent_rounds_half_cents_up(base, vat):
    assert totals(lines(("1", base, "vat_5_5"))).tax == D(vat)


def test_a_line_net_is_quantity_times_price_rounded_half_up_to_the_cent():
    assert LineAmount(D("1.5"), D("0.33"), "vat_20").net == D("0.50")  # 0.495
    assert LineAmount(D("0.333"), D("3.00"), "vat_20").net == D("1.00")  # 0.999
    assert LineAmount(D("-1.5"), D("0.33"), "vat_20").net == D("-0.50")  # symmetric


def test_mixed_rates_give_one_vat_line_per_rate_highest_rate_first():
    result = totals(
        lines(
            ("2", "10.00", "vat_5_5"),
            ("1", "100.00", "vat_20"),
            ("3", "3.33", "vat_10"),
            ("1", "50.00", "vat_20"),
        )
    )

    assert [(t.code, t.base, t.tax) for t in result.by_rule] == [
        ("vat_20", D("150.00"), D("30.00")),
        ("vat_10", D("9.99"), D("1.00")),  # 0.999
        ("vat_5_5", D("20.00"), D("1.10")),
    ]
    assert result.net == D("179.99")
    assert result.tax == D("32.10")
    assert result.gross == D("212.09")


def test_an_exemption_mention_is_collected_once_and_only_where_it_applies():
    result = totals(
        lines(
            ("1", "15.00", "exempt_261_7_1b"),
            ("1", "30.00", "vat_20"),
            ("2", "5.00", "exempt_261_7_1b"),
        )
    )

    assert result.mentions == ("Exonération de TVA, art. 261-7-1° b du CGI",)
    assert [(t.code, t.tax) for t in result.by_rule] == [
        ("vat_20", D("6.00")),
        ("exempt_261_7_1b", D("0.00")),
    ]
    assert totals(lines(("1", "10", "franchise_293b"))).mentions == (
        "TVA non applicable, art. 293 B du CGI",
    )
    assert totals(lines(("1", "10", "vat_20"))).mentions == ()


def test_negated_lines_give_exactly_the_negated_totals():
    specs = [("1", "0.05", "vat_10")] * 3 + [("1.5", "0.33", "vat_5_5")]
    plus = totals(lines(*specs))
    minus = totals(lines(*[("-" + q, p, c) for q, p, c in specs]))

    assert (minus.net, minus.tax, minus.gross) == (-plus.net, -plus.tax, -plus.gross)


def test_an_unknown_tax_rule_is_refused():
    with pytest.raises(tax.UnknownTaxRule):
        totals(lines(("1", "10", "vat_19_6")))


def test_partial_credit_notes_never_credit_more_vat_than_the_invoice_had():
    # The invoice: 0.27 at 5.5 % → VAT 0.01. Credited in 0.10, 0.10 and 0.07.
    invoice_tax = totals(lines(("1", "0.27", "vat_5_5"))).by_rule[0]
    left = {"vat_5_5": crediting.Remaining(invoice_tax.base, invoice_tax.tax)}
    credited = []
    for part in ("0.10", "0.10", "0.07"):
        computed = totals(lines(("-1", part, "vat_5_5")))
        note = crediting.credit_totals(computed, left)
        credited.append(note.tax)
        t = note.by_rule[0]
        left = {
            "vat_5_5": crediting.Remaining(
                left["vat_5_5"].base + t.base, left["vat_5_5"].tax + t.tax
            )
        }

    assert credited == [D("-0.01"), D("0.00"), D("0.00")]
    assert left["vat_5_5"] == crediting.Remaining(D("0.00"), D("0.00"))


def test_the_credit_note_that_credits_the_rest_of_a_rate_takes_the_vat_that_remains():
    # 0.09 + 0.09 + 0.09 at 5.5 %: the invoice's VAT is round(0.01485) = 0.01; each third
    # alone would be round(0.00495) = 0.00, so the last one takes the cent.
    left = {"vat_5_5": crediting.Remaining(D("0.27"), D("0.01"))}
    taxes = []
    for _ in range(3):
        note = crediting.credit_totals(totals(lines(("-1", "0.09", "vat_5_5"))), left)
        t = note.by_rule[0]
        taxes.append(t.tax)
        left = {
            "vat_5_5": crediting.Remaining(
                left["vat_5_5"].base + t.base, left["vat_5_5"].tax + t.tax
            )
        }
        assert note.gross == note.net + note.tax

    assert taxes == [D("0.00"), D("0.00"), D("-0.01")]


def test_crediting_more_base_than_remains_is_a_programming_error():
    left = {"vat_20": crediting.Remaining(D("1.00"), D("0.20"))}
    with pytest.raises(ValueError, match="remains"):
        crediting.credit_totals(totals(lines(("-1", "1.01", "vat_20"))), left)
