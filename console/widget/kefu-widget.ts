/**
 * Kefu web chat widget: one script tag on any site.
 *
 *   <script src="https://<console>/console/widget/kefu-widget.js" data-lang="zh" defer></script>
 *
 * data-api   the API base (default: config.json's apiBase next to the console, else the script's own origin)
 * data-ws    the WebSocket URL (default: config.json's webSocketUrl, else <api>/ws)
 * data-lang  zh | en (default: the browser's language)
 * data-customer-name, data-customer-id   who the customer is, if the site knows (sent when the conversation opens)
 * data-color the accent colour (any CSS colour)
 *
 * The page can also call window.KefuWidget.open(), .close(), .reset() (forget the conversation) and .send(text).
 */
import { pickLang } from './i18n.ts';
import { Widget } from './widget.ts';

const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="kefu-widget"]');
const src = script?.src ? new URL(script.src, location.href) : undefined;
const data = script?.dataset ?? {};
const origin = src?.origin ?? location.origin;
const customer = { ...(data.customerName ? { name: data.customerName } : {}), ...(data.customerId ? { externalId: data.customerId } : {}) };

declare global {
  interface Window {
    __kefuWidget?: Widget;
  }
}

const widget: Widget =
  window.__kefuWidget ??
  new Widget({
    ...(data.api ? { apiBase: data.api.replace(/\/+$/, '') } : {}),
    ...(data.ws ? { wsUrl: data.ws } : {}),
    origin,
    configUrl: `${origin}/console/config.json`,
    lang: pickLang(data.lang, navigator.language),
    ...(Object.keys(customer).length ? { customer } : {}),
    ...(data.color ? { accent: data.color } : {}),
  });

if (!window.__kefuWidget) {
  window.__kefuWidget = widget;
  if (document.body) widget.mount();
  else document.addEventListener('DOMContentLoaded', () => widget.mount(), { once: true });
}

export const open = (): void => widget.setOpen(true, true);
export const close = (): void => widget.setOpen(false);
export const reset = (): void => widget.reset();
export const send = (text: string): void => widget.send(text);
