/**
 * `npm run kefu -- <command>`: operator commands that need no running platform.
 *
 *   sentiment train FILE [--out PATH] [--c N]   train the local sentiment engine on labelled messages (JSONL / CSV /
 *                                               TSV of text,label; labels mapped as in docs/EVALUATION.md) and write
 *                                               the model (default config/sentiment-model.json)
 *   sentiment score TEXT [--model PATH]         score one text with the shipped engine or a trained model
 *
 * A trained model is used by setting KEFU_SENTIMENT_MODEL to its path (npm start passes it on to the functions; in
 * AWS the CDK app ships it with the sentiment function when the `sentimentModel` context names it).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRows } from '../../shared/adapters/csv/labelled-rows.ts';
import { mapLabels } from '../../shared/domain/sentiment/labels.ts';
import { scoreSentiment } from '../../shared/domain/sentiment/local-sentiment-engine.ts';
import { SentimentModel } from '../../shared/domain/sentiment/sentiment-model.ts';

const USAGE = `usage: npm run kefu -- sentiment train FILE [--out PATH] [--c N]
       npm run kefu -- sentiment score TEXT [--model PATH]`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, model: { type: 'string' }, c: { type: 'string' } },
  });
  const [area, command, argument] = positionals;
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

try {
  main();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
