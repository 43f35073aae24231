/**
 * `npm run kefu -- <command>`: operator commands.
 *
 *   costs report [--from D] [--to D] [--by day|channel|capability|function|service] [--csv]
 *                                               a period's cost from the finance API, with bot versus human and the
 *                                               arithmetic shown (default: the last 7 days, by day)
 *   costs conversation ID                       what one conversation cost and why: each invocation's line items
 *     The cost commands ask the running `npm start` (a finance token from its local issuer), or a deployment with
 *     --api URL and KEFU_TOKEN=<a finance or admin ID token>.
 *
 *   sentiment train FILE [--out PATH] [--c N]   train the local sentiment engine on labelled messages (JSONL / CSV /
 *                                               TSV of text,label; labels mapped as in docs/EVALUATION.md) and write
 *                                               the model (default config/sentiment-model.json)
 *   sentiment score TEXT [--model PATH]         score one text with the shipped engine or a trained model
 *
 * A trained model is used by setting KEFU_SENTIMENT_MODEL to its path (npm start passes it on to the functions; in
 * AWS the CDK app ships it with the sentiment function when the `sentimentModel` context names it).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRows } from '../../shared/adapters/csv/labelled-rows.ts';
import { mapLabels } from '../../shared/domain/sentiment/labels.ts';
import { scoreSentiment } from '../../shared/domain/sentiment/local-sentiment-engine.ts';
import { SentimentModel } from '../../shared/domain/sentiment/sentiment-model.ts';
import { formatMoney } from '../../shared/domain/costs/money.ts';
import { createLocalIssuer } from './local-issuer.ts';

const USAGE = `usage: npm run kefu -- sentiment train FILE [--out PATH] [--c N]
       npm run kefu -- sentiment score TEXT [--model PATH]
       npm run kefu -- costs report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by day|channel|capability|function|service] [--csv] [--api URL]
       npm run kefu -- costs conversation ID [--api URL]`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, model: { type: 'string' }, c: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, by: { type: 'string' }, csv: { type: 'boolean' }, api: { type: 'string' } },
  });
  const [area, command, argument] = positionals;
  if (area === 'costs') return costs(command, argument, values);
  if (area !== 'sentiment' || !argument) fail(USAGE);
  if (command === 'train') {
    const rows = loadRows(resolve(argument));
    if (rows.length < 10) fail(`${argument}: ${rows.length} rows; training needs at least 10 labelled messages`);
    const set = mapLabels(rows);
    const c = values.c === undefined ? undefined : Number(values.c);
    if (c !== undefined && !(c > 0)) fail('--c must be a positive number');
    const started = performance.now();
    const model = SentimentModel.train(set.rows, set.task, c === undefined ? {} : { c });
    const out = resolve(values.out ?? 'config/sentiment-model.json');
    mkdirSync(dirname(out), { recursive: true });
    const json = JSON.stringify(model.toJSON());
    writeFileSync(out, json);
    const counts = new Map<string, number>();
    for (const r of set.rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
    console.log(`trained ${set.task === 'emotion' ? 'an' : 'a'} ${set.task} model on ${rows.length} messages (${[...counts].map(([l, n]) => `${l} ${n}`).join(', ')}) in ${Math.round(performance.now() - started)} ms`);
    console.log(`wrote ${out} (${(json.length / 1024).toFixed(0)} KB); use it with KEFU_SENTIMENT_MODEL=${out}`);
    return;
  }
  if (command === 'score') {
    const model = values.model ? SentimentModel.fromJSON(JSON.parse(readFileSync(resolve(values.model), 'utf8'))) : undefined;
    console.log(JSON.stringify(scoreSentiment(argument, model ? { model } : {}), null, 2));
    return;
  }
  fail(USAGE);
}

// ---------------------------------------------------------------- costs

async function financeApi(api: string | undefined): Promise<{ base: string; token: string }> {
  if (api) {
    const token = process.env.KEFU_TOKEN;
    if (!token) fail('--api needs KEFU_TOKEN=<ID token of a finance or admin user>');
    return { base: api.replace(/\/$/, ''), token };
  }
  const dataDir = resolve(process.env.KEFU_DATA_DIR ?? '.kefu');
  const runtimeFile = join(dataDir, 'runtime.json');
  if (!existsSync(runtimeFile)) fail('no local runtime found: start it with `npm start` (or pass --api URL with KEFU_TOKEN)');
  const { url, issuer } = JSON.parse(readFileSync(runtimeFile, 'utf8')) as { url: string; issuer: string };
  const local = await createLocalIssuer({ issuer, keyFile: join(dataDir, 'issuer-keys.json') });
  return { base: url, token: await local.issue({ sub: 'finance-zhou', groups: ['finance'], email: 'zhou.min@demo-shop.example', name: '周敏 Zhou Min' }) };
}

async function get(api: { base: string; token: string }, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${api.base}${path}`, { headers: { authorization: `Bearer ${api.token}` } });
  return { status: res.status, text: await res.text() };
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length));

async function costs(command: string | undefined, argument: string | undefined, values: { from?: string; to?: string; by?: string; csv?: boolean; api?: string }): Promise<void> {
  const api = await financeApi(values.api);
  if (command === 'conversation') {
    if (!argument) fail(USAGE);
    const res = await get(api, `/v1/finance/conversations/${encodeURIComponent(argument)}/costs`);
    if (res.status !== 200) fail(`${res.status} ${res.text}`);
    const c = JSON.parse(res.text) as { conversationId: string; channel: string | null; status: string | null; currency: { code: string }; invocations: { at: string; functionId: string; capability: string; route?: string; amount: number; lines: { formula: string; basis?: string }[] }[]; human: { formula: string } | null; formula: string };
    console.log(`conversation ${c.conversationId} (${c.channel ?? '?'}, ${c.status ?? '?'}), ${c.currency.code}`);
    for (const i of c.invocations) {
      console.log(`\n${i.at}  ${i.functionId}${i.route ? ` ${i.route}` : ''} [${i.capability}]  ${formatMoney(i.amount, c.currency.code)}`);
      for (const line of i.lines) console.log(`    ${line.formula}${line.basis ? `    (${line.basis})` : ''}`);
    }
    if (c.human) console.log(`\nhuman: ${c.human.formula}`);
    console.log(`\ntotal: ${c.formula}`);
    return;
  }
  if (command !== 'report') fail(USAGE);
  const query = new URLSearchParams({ by: values.by ?? 'day', ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}), ...(values.csv ? { format: 'csv' } : {}) });
  const res = await get(api, `/v1/finance/costs?${query}`);
  if (res.status !== 200) fail(`${res.status} ${res.text}`);
  if (values.csv) {
    process.stdout.write(res.text);
    return;
  }
  const r = JSON.parse(res.text) as {
    period: { from: string; to: string; timeZone: string };
    currency: { code: string; perUsd: number };
    priceVersion: string;
    by: string;
    rows: { key: string; amount: number; invocations: number }[];
    totals: { infrastructure: number; invocations: number; human: number; all: number };
    conversations: { engaged: number; contained: number; handedOff: number };
    perConversation: { bot: { conversations: number; infrastructure: number; perConversation: number | null }; human: { conversations: number; infrastructure: number; human: number; handledHours: number; perConversation: number | null } };
    humanRate: { hourly: number };
    budget: { today: number; month: number; exceeded: boolean; dailyUsd?: number; monthlyUsd?: number };
  };
  const m = (n: number) => formatMoney(n, r.currency.code);
  console.log(`costs ${r.period.from} … ${r.period.to} (${r.period.timeZone}), by ${r.by}, in ${r.currency.code}${r.currency.code !== 'USD' ? ` at ${r.currency.perUsd} per USD` : ''}; prices ${r.priceVersion}\n`);
  const width = Math.max(10, ...r.rows.map((row) => [...row.key].length)) + 2;
  for (const row of r.rows) {
    const share = r.totals.infrastructure > 0 ? ` ${((row.amount / r.totals.infrastructure) * 100).toFixed(1).padStart(5)} %` : '';
    console.log(`  ${pad(row.key, width)} ${m(row.amount).padStart(16)}${share}  ${row.invocations} invocation${row.invocations === 1 ? '' : 's'}`);
  }
  console.log(`  ${pad('total', width)} ${m(r.totals.infrastructure).padStart(16)}          ${r.totals.invocations} invocations\n`);
  const b = r.perConversation.bot;
  const h = r.perConversation.human;
  console.log(`conversations: ${r.conversations.engaged} (${r.conversations.contained} resolved by the bot, ${r.conversations.handedOff} handed to a human)`);
  console.log(`bot:   ${m(b.infrastructure)} while with the bot ÷ ${b.conversations} bot-resolved = ${b.perConversation === null ? '—' : m(b.perConversation)} per resolution`);
  console.log(`human: (${m(h.infrastructure)} infrastructure + ${h.handledHours.toFixed(4)} h × ${m(r.humanRate.hourly)} per hour = ${m(h.human)}) ÷ ${h.conversations} handed off = ${h.perConversation === null ? '—' : m(h.perConversation)} per conversation`);
  if (b.perConversation && h.perConversation) console.log(`a bot resolution costs 1/${Math.round(h.perConversation / b.perConversation).toLocaleString('en')} of a human-handled conversation`);
  console.log(`budget: today ${m(r.budget.today)}${r.budget.dailyUsd !== undefined ? ` of $${r.budget.dailyUsd}` : ''}, this month ${m(r.budget.month)}${r.budget.monthlyUsd !== undefined ? ` of $${r.budget.monthlyUsd}` : ''}${r.budget.exceeded ? ' — EXCEEDED' : ''}`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
