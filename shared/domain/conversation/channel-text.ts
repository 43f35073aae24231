/** Fitting a reply to what a channel can carry. */

const encoder = new TextEncoder();
const utf8Length = (text: string) => encoder.encode(text).length;

/** The text cut to `max` characters or UTF-8 bytes, the cut marked with "…" (never splitting a character). */
export function fitText(text: string, max: { readonly length: number; readonly unit: 'characters' | 'utf8-bytes' }): string {
  const chars = Array.from(text);
  if (max.unit === 'characters') {
    if (chars.length <= max.length) return text;
    return chars.slice(0, Math.max(0, max.length - 1)).join('') + '…';
  }
  if (utf8Length(text) <= max.length) return text;
  const budget = max.length - utf8Length('…');
  let used = 0;
  let out = '';
  for (const c of chars) {
    const size = utf8Length(c);
    if (used + size > budget) break;
    used += size;
    out += c;
  }
  return out + '…';
}

/** Whether a free-form reply may still be sent: within `hours` of the customer's last message (no window: always). */
export function withinServiceWindow(lastInboundAt: string | undefined, hours: number | undefined, now: Date): boolean {
  if (hours === undefined) return true;
  if (!lastInboundAt) return false;
  return now.getTime() - Date.parse(lastInboundAt) <= hours * 3_600_000;
}
