/**
 * The customers screen (`/console/admin/customers`): search customers by name, e-mail, phone or channel identity;
 * a customer's identities (by channel), verified contacts, conversations (those of customers merged into it too) and
 * identity log; merge another customer into this one, or split an identity off onto a new customer, each with a
 * reason, conditional on the version the screen read (a concurrent change is a 409, shown with a reload).
 * Supervisors and admins. Loaded lazily by app.tsx.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api.ts';
import { dateTime } from '../format.ts';
import { useI18n, useScreenT } from '../i18n.ts';
import { Empty, Modal, useApp } from '../ui.tsx';
import { customerStrings, type CustomerKey } from './customers.i18n.ts';

interface Identity {
  readonly channel: string;
  readonly value: string;
}
interface Contact {
  readonly kind: 'email' | 'phone';
  readonly value: string;
}
interface CustomerSummary {
  readonly id: string;
  readonly name: string | null;
  readonly tier: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly identities: readonly Identity[];
  readonly verified: readonly Contact[];
  readonly tags: readonly string[];
  readonly version: number;
  readonly createdAt: string;
}
interface LogEntry {
  readonly at: string;
  readonly by: string;
  readonly kind: string;
  readonly reason: string;
  readonly otherCustomerId?: string;
  readonly identities: readonly Identity[];
  readonly verified?: readonly Contact[];
}
interface Detail {
  readonly customer: CustomerSummary & { readonly mergedFrom: readonly string[]; readonly splitFrom: string | null; readonly notes: string | null };
  readonly redirectedFrom?: string;
  readonly conversations: readonly { id: string; channel: string; status: string; customerId: string; createdAt: string }[];
  readonly identityLog: readonly LogEntry[];
}

/** A small, recognisable mark per channel (colour and glyph), with the channel's name beside it. */
const CHANNEL_MARKS: Readonly<Record<string, { glyph: string; color: string }>> = {
  webchat: { glyph: '💬', color: '#2563eb' },
  wechat: { glyph: '微', color: '#07c160' },
  wecom: { glyph: '企', color: '#2b7de9' },
  email: { glyph: '✉', color: '#6b7280' },
  whatsapp: { glyph: 'W', color: '#25d366' },
  telegram: { glyph: '✈', color: '#229ed9' },
  line: { glyph: 'L', color: '#06c755' },
  sms: { glyph: '☎', color: '#9333ea' },
  api: { glyph: '⚙', color: '#475569' },
};

function ChannelBadge({ channel, label }: { channel: string; label: string }) {
  const mark = CHANNEL_MARKS[channel] ?? { glyph: '?', color: '#475569' };
  return (
    <span class="tag" data-testid="channel-badge" data-channel={channel} style={{ borderLeft: `3px solid ${mark.color}` }}>
      <span aria-hidden="true" style={{ color: mark.color, fontWeight: 700, marginRight: '4px' }}>
        {mark.glyph}
      </span>
      {label}
    </span>
  );
}

export function Screen() {
  const t = useScreenT(customerStrings);
  const { lang } = useI18n();
  const { api, toast } = useApp();
  const channelLabel = (channel: string) => (`channel.${channel}` in customerStrings['zh-CN'] ? t(`channel.${channel}` as CustomerKey) : channel);
  const [q, setQ] = useState('');
  const [results, setResults] = useState<readonly CustomerSummary[]>();
  const [selected, setSelected] = useState<string>();
  const [detail, setDetail] = useState<Detail>();
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState<number>();
  const [dialog, setDialog] = useState<{ kind: 'merge' } | { kind: 'split'; identity: Identity }>();
  const [source, setSource] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const search = useCallback(
    async (text: string) => {
      try {
        const res = await api.get<{ customers: CustomerSummary[] }>(`/v1/admin/customers?q=${encodeURIComponent(text)}`);
        setResults(res.customers);
        setError(undefined);
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [api],
  );
  useEffect(() => void search(''), [search]);

  const open = useCallback(
    async (id: string) => {
      setSelected(id);
      try {
        const res = await api.get<Detail>(`/v1/admin/customers/${encodeURIComponent(id)}`);
        setDetail(res);
        setConflict(undefined);
        return res;
      } catch (err) {
        toast('error', errorMessage(err));
        return undefined;
      }
    },
    [api, toast],
  );

  const closeDialog = () => {
    setDialog(undefined);
    setReason('');
    setSource('');
  };

  const submit = async () => {
    if (!detail || !dialog || busy || !reason.trim()) return;
    setBusy(true);
    const id = detail.customer.id;
    try {
      if (dialog.kind === 'merge') {
        const res = await api.post<{ customer: CustomerSummary; moved: { identities: Identity[] } }>(`/v1/admin/customers/${encodeURIComponent(id)}/merge`, { sourceCustomerId: source.trim(), reason, expectedVersion: detail.customer.version });
        toast('success', t('merged', { n: res.moved.identities.length }));
      } else {
        const res = await api.post<{ split: { id: string } }>(`/v1/admin/customers/${encodeURIComponent(id)}/split`, { channel: dialog.identity.channel, value: dialog.identity.value, reason, expectedVersion: detail.customer.version });
        toast('success', t('splitDone', { id: res.split.id }));
      }
      closeDialog();
      await open(id);
      await search(q);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        closeDialog();
        const now = await api.get<Detail>(`/v1/admin/customers/${encodeURIComponent(id)}`).catch(() => undefined);
        setConflict(now?.customer.version ?? -1);
      } else toast('error', errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const c = detail?.customer;
  return (
    <div class="customers" data-testid="customers" style={{ padding: '20px 24px', maxWidth: '1300px', margin: '0 auto' }}>
      <div class="page-head">
        <h1>{t('title')}</h1>
      </div>
      <p class="muted small">{t('intro')}</p>
      <div class="kb-grid">
        <div class="kb-column">
          <section class="card">
            <form
              class="kb-filters"
              onSubmit={(e) => {
                e.preventDefault();
                void search(q);
              }}
            >
              <input class="kb-search" value={q} placeholder={t('search')} aria-label={t('search')} data-testid="customer-search" onInput={(e) => setQ(e.currentTarget.value)} />
              <button type="submit" class="button button-small" data-testid="customer-search-go">
                {t('searchButton')}
              </button>
            </form>
            {error && <p class="error-text">{error}</p>}
            {!results ? (
              <Empty>{t('loading')}</Empty>
            ) : results.length === 0 ? (
              <Empty>{t('none')}</Empty>
            ) : (
              <div class="kb-list">
                <table class="table" data-testid="customer-list">
                  <thead>
                    <tr>
                      <th>{t('name')}</th>
                      <th>{t('contact')}</th>
                      <th>{t('identities')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {results.map((r) => (
                      <tr key={r.id} class={`kb-row ${selected === r.id ? 'selected' : ''}`} data-testid="customer-row" data-customer-id={r.id} onClick={() => void open(r.id)}>
                        <td>
                          {r.name ?? <span class="muted">{t('unnamed')}</span>} {r.tier === 'vip' && <span class="tag tag-vip">VIP</span>}
                          <div class="muted small mono">{r.id}</div>
                        </td>
                        <td class="small">{[r.phone, r.email].filter(Boolean).join(' · ') || '—'}</td>
                        <td>
                          {r.identities.map((i) => (
                            <ChannelBadge key={`${i.channel}:${i.value}`} channel={i.channel} label={channelLabel(i.channel)} />
                          ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
        <div class="kb-column">
          {!c ? (
            <section class="card">
              <Empty>{t('pick')}</Empty>
            </section>
          ) : (
            <>
              <section class="card" data-testid="customer-detail" data-customer-id={c.id} data-version={c.version}>
                <div class="kb-editor-head">
                  <h2>{c.name ?? t('unnamed')}</h2>
                  <span class="tag">{t(`tier.${c.tier === 'vip' ? 'vip' : 'standard'}`)}</span>
                  <span class="muted small">{t('version', { version: c.version })}</span>
                </div>
                <p class="muted small mono">{c.id}</p>
                {detail.redirectedFrom && <p class="small" data-testid="customer-redirected">{t('redirected', { from: detail.redirectedFrom })}</p>}
                {c.mergedFrom.length > 0 && <p class="muted small">{t('mergedFrom', { ids: c.mergedFrom.join(', ') })}</p>}
                {c.splitFrom && <p class="muted small">{t('splitFrom', { id: c.splitFrom })}</p>}
                {conflict !== undefined && (
                  <div class="kb-conflict" role="alert" data-testid="customer-conflict">
                    <span>{t('conflict', { version: conflict < 0 ? '?' : conflict })}</span>
                    <button type="button" class="button button-small" data-testid="customer-reload" onClick={() => void open(c.id)}>
                      {t('reload')}
                    </button>
                  </div>
                )}
                <p class="small">
                  {c.phone && <span>☎ {c.phone} </span>}
                  {c.email && <span>✉ {c.email} </span>}
                  {c.verified.map((v) => (
                    <span key={`${v.kind}:${v.value}`} class="tag" data-testid="verified-contact">
                      ✓ {v.value} ({t('verified')})
                    </span>
                  ))}
                </p>
                <h3>{t('identities')}</h3>
                <table class="table" data-testid="identity-list">
                  <tbody>
                    {c.identities.map((i) => (
                      <tr key={`${i.channel}:${i.value}`} data-testid="identity-row" data-channel={i.channel} data-value={i.value}>
                        <td>
                          <ChannelBadge channel={i.channel} label={channelLabel(i.channel)} />
                        </td>
                        <td class="mono small">{i.value}</td>
                        <td>
                          <button
                            type="button"
                            class="button button-small"
                            data-testid="identity-split"
                            disabled={c.identities.length < 2}
                            title={c.identities.length < 2 ? t('onlyIdentity') : undefined}
                            onClick={() => setDialog({ kind: 'split', identity: i })}
                          >
                            {t('split')}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p>
                  <button type="button" class="button button-primary" data-testid="customer-merge" onClick={() => setDialog({ kind: 'merge' })}>
                    {t('merge')}
                  </button>
                </p>
              </section>
              <section class="card">
                <h2>{t('conversations')}</h2>
                {detail.conversations.length === 0 ? (
                  <Empty>{t('noConversations')}</Empty>
                ) : (
                  <table class="table" data-testid="customer-conversations">
                    <tbody>
                      {detail.conversations.map((conv) => (
                        <tr key={conv.id} data-testid="customer-conversation" data-conversation-id={conv.id} data-customer-id={conv.customerId}>
                          <td>
                            <ChannelBadge channel={conv.channel} label={channelLabel(conv.channel)} />
                          </td>
                          <td class="small">{`status.${conv.status}` in customerStrings['zh-CN'] ? t(`status.${conv.status}` as CustomerKey) : conv.status}</td>
                          <td class="small">{dateTime(conv.createdAt, lang)}</td>
                          <td class="mono small muted">{conv.customerId === c.id ? '' : conv.customerId}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
              <section class="card">
                <h2>{t('log')}</h2>
                {detail.identityLog.length === 0 ? (
                  <Empty>{t('noLog')}</Empty>
                ) : (
                  <ul data-testid="identity-log">
                    {detail.identityLog.map((entry, n) => (
                      <li key={`${entry.at}:${n}`} data-testid="identity-log-entry" data-kind={entry.kind}>
                        <strong>{`kind.${entry.kind}` in customerStrings['zh-CN'] ? t(`kind.${entry.kind}` as CustomerKey) : entry.kind}</strong>{' '}
                        <span class="muted small">
                          {dateTime(entry.at, lang)} · {t('by', { by: entry.by === 'system' ? t('system') : entry.by })}
                          {entry.otherCustomerId ? ` · ${t('other', { id: entry.otherCustomerId })}` : ''}
                        </span>
                        <div class="small">
                          {entry.identities.map((i) => (
                            <ChannelBadge key={`${i.channel}:${i.value}`} channel={i.channel} label={`${channelLabel(i.channel)} ${i.value}`} />
                          ))}
                          {(entry.verified ?? []).map((v) => (
                            <span key={`${v.kind}:${v.value}`} class="tag">
                              ✓ {v.value}
                            </span>
                          ))}
                        </div>
                        <div class="small" data-testid="identity-log-reason">
                          {entry.reason}
                        </div>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </>
          )}
        </div>
      </div>
      {dialog && c && (
        <Modal title={dialog.kind === 'merge' ? t('merge') : t('splitTitle', { identity: `${channelLabel(dialog.identity.channel)} ${dialog.identity.value}` })} onClose={closeDialog} testId={dialog.kind === 'merge' ? 'merge-dialog' : 'split-dialog'}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <p class="muted small">{dialog.kind === 'merge' ? t('mergeHint') : t('splitHint')}</p>
            {dialog.kind === 'merge' && (
              <>
                <label class="field">
                  <span>{t('mergeSource')}</span>
                  <input class="mono" value={source} data-testid="merge-source" onInput={(e) => setSource(e.currentTarget.value)} />
                </label>
                <p class="small">
                  {t('mergeFind')}{' '}
                  {(results ?? [])
                    .filter((r) => r.id !== c.id)
                    .slice(0, 8)
                    .map((r) => (
                      <button type="button" key={r.id} class="button button-small button-ghost" data-testid="merge-pick" data-customer-id={r.id} onClick={() => setSource(r.id)}>
                        {r.name ?? r.identities[0]?.value ?? r.id}
                      </button>
                    ))}
                </p>
              </>
            )}
            <label class="field">
              <span>{t('reason')}</span>
              <textarea rows={2} maxLength={500} value={reason} data-testid="identity-reason" onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
            <div class="modal-actions" style={{ display: 'flex', gap: '8px', justifyContent: 'flex-end' }}>
              <button type="button" class="button" onClick={closeDialog}>
                {t('cancel')}
              </button>
              <button type="submit" class="button button-primary" data-testid="identity-confirm" disabled={busy || !reason.trim() || (dialog.kind === 'merge' && !source.trim())}>
                {dialog.kind === 'merge' ? t('confirmMerge') : t('confirmSplit')}
              </button>
            </div>
          </form>
        </Modal>
      )}
    </div>
  );
}
