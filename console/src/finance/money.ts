/**
 * Amounts as the Finance view shows them: in the report's currency, with enough digits for sub-cent figures
 * ($0.000123: four significant digits below 100, two decimals from 100 on), "—" when unknown. Pure (no DOM), so the
 * browser test formats the API's figures the same way.
 */
export type MoneyLang = 'zh-CN' | 'en';

const locale = (lang: MoneyLang) => (lang === 'en' ? 'en-US' : 'zh-CN');

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export function money(value: number | null | undefined, code: string | null | undefined, lang: MoneyLang): string {
  if (!isNumber(value)) return '—';
  const abs = Math.abs(value);
  const options: Intl.NumberFormatOptions = abs === 0 || abs >= 100 ? { minimumFractionDigits: 2, maximumFractionDigits: 2 } : { maximumSignificantDigits: 4 };
  try {
    if (code) return new Intl.NumberFormat(locale(lang), { style: 'currency', currency: code, ...options }).format(value);
  } catch {
    // not an ISO currency code: the number and the code
  }
  return `${new Intl.NumberFormat(locale(lang), options).format(value)}${code ? ` ${code}` : ''}`;
}

/** A plain number (quantities, unit prices) with up to `digits` significant digits; "—" when unknown. */
export function plain(value: number | null | undefined, lang: MoneyLang, digits = 6): string {
  if (!isNumber(value)) return '—';
  return new Intl.NumberFormat(locale(lang), { maximumSignificantDigits: digits }).format(value);
}

export function percent(value: number | null | undefined): string {
  return isNumber(value) ? `${Math.round(value * 1000) / 10}%` : '—';
}

/** "1/N": N rounded to a whole number from 10 on, else to one decimal. */
export function ratioN(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}
