"""Money is Decimal yuan with two places, rounded half-up to the fen."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def quantize(amount: Decimal | int | str) -> Decimal:
    return Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)


def format_yuan(amount: Decimal | int | str | None) -> str:
    """12345.6 → '12,345.60 元'; 1,234,567 → '123.46 万元' (how union reports state big sums)."""
    if amount is None:
        return ""
    value = quantize(amount)
    if abs(value) >= Decimal(100000):
        return f"{quantize(value / 10000):,} 万元"
    return f"{value:,} 元"
