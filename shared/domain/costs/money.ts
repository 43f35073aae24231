/**
 * Money for the cost meter: amounts of a fraction of a cent are the norm here (one Lambda request costs $0.0000002),
 * so amounts are kept as floats for display and as integer nanos (1e-9 of the currency unit) for adding up: a ledger
 * adds nanos with exact integer arithmetic, where adding a million float amounts would drift.
 */

/** Nanos in one unit of a currency (one dollar, one yuan). */
export const NANOS_PER_UNIT = 1_000_000_000;

/** Significant digits shown for an amount: enough for a sub-cent unit price such as $0.0000133334 to show whole. */
const MONEY_SIGNIFICANT_DIGITS = 6;
/** Decimals never go beyond this: a tenth of a nano-dollar is below anything a bill shows. */
const MONEY_MAX_DECIMALS = 10;
/** Decimals always shown, as on any price tag ($0.20, ¥15.00). */
const MONEY_MIN_DECIMALS = 2;

const SYMBOLS: Readonly<Record<string, string>> = Object.freeze({ USD: '$', CNY: '¥' });

/**
 * An amount as integer nanos, rounded half up. The product `amount × 1e9` is first snapped to 12 significant digits,
 * so that float noise (312.49999999999994 for 2.5 × $0.125 / 1e6) does not decide which way a half rounds.
 */
export function toNanos(amount: number): number {
  if (!Number.isFinite(amount)) throw new Error(`amount must be a finite number, got ${amount}`);
  const snapped = Number((amount * NANOS_PER_UNIT).toPrecision(12));
  return Math.sign(snapped) * Math.round(Math.abs(snapped));
}

/** What goes before an amount: '$' for USD, '¥' for CNY, otherwise the code and a space ('EUR 0.20'). */
export function currencyPrefix(currency: string): string {
  return SYMBOLS[currency] ?? `${currency} `;
}

/**
 * An amount for people: at least 2 decimals, more when needed to show 6 significant digits, never more than 10
 * decimals, trailing zeros beyond the second decimal dropped, thousands grouped.
 * 15 → '¥15.00', 0.2 → '$0.20', 0.0000002 → '$0.0000002', 0.0000133334 → '$0.0000133334',
 * 0.0000015133409 → '$0.0000015133', 1234.56789 → '$1,234.57'.
 */
export function formatMoney(amount: number, currency: string): string {
  const sign = amount < 0 ? '-' : '';
  return `${sign}${currencyPrefix(currency)}${formatDecimal(Math.abs(amount), MONEY_SIGNIFICANT_DIGITS, MONEY_MIN_DECIMALS, MONEY_MAX_DECIMALS)}`;
}

/**
 * A non-negative number with `significant` significant digits, between `minDecimals` and `maxDecimals` decimals,
 * trailing zeros beyond `minDecimals` dropped, the integer part grouped by thousands (en-US).
 */
export function formatDecimal(value: number, significant: number, minDecimals: number, maxDecimals: number): string {
  const magnitude = value === 0 ? 0 : Math.floor(Math.log10(value));
  const wanted = Math.max(0, significant - 1 - magnitude);
  const decimals = Math.min(maxDecimals, Math.max(minDecimals, wanted));
  const [whole = '0', fraction = ''] = value.toFixed(decimals).split('.');
  let kept = fraction;
  while (kept.length > minDecimals && kept.endsWith('0')) kept = kept.slice(0, -1);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return kept === '' ? grouped : `${grouped}.${kept}`;
}
