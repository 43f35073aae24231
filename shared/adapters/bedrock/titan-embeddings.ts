/**
 * Optional retrieval mode: Titan Text Embeddings V2 vectors for every question variant (computed when knowledge is
 * published) and the customer's question (one InvokeModel call per question), ranked by cosine similarity. The local
 * TF-IDF index remains the default; this mode helps with paraphrases that share few words with any variant.
 */
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { meter } from '../../observability/cost-meter.ts';
import type { TokenUsage } from '../../ports/answer-provider.ts';
import { withDeadline } from './deadline.ts';

export const DEFAULT_EMBEDDING_MODEL_ID = 'amazon.titan-embed-text-v2:0';

export interface Embedding {
  readonly vector: readonly number[];
  readonly usage: TokenUsage;
}

export interface TitanEmbeddingsProps {
  /** @default one BedrockRuntimeClient made on first use */
  readonly client?: BedrockRuntimeClient;
  readonly region?: string;
  /** @default DEFAULT_EMBEDDING_MODEL_ID */
  readonly modelId?: string;
  /** Titan V2 accepts 256, 512 or 1024. @default 512 */
  readonly dimensions?: 256 | 512 | 1024;
}

export class TitanEmbeddings {
  readonly modelId: string;
  readonly dimensions: 256 | 512 | 1024;
  private client: BedrockRuntimeClient | undefined;

  constructor(private readonly props: TitanEmbeddingsProps = {}) {
    this.client = props.client;
    this.modelId = props.modelId ?? DEFAULT_EMBEDDING_MODEL_ID;
    this.dimensions = props.dimensions ?? 512;
    if (![256, 512, 1024].includes(this.dimensions)) throw new RangeError(`dimensions must be 256, 512 or 1024, got ${this.dimensions}`);
  }

  /** One text's normalised vector and the input tokens billed for it. */
  async embed(text: string, options: { readonly timeoutMs: number }): Promise<Embedding> {
    if (!text.trim()) throw new Error('cannot embed an empty text');
    const client = (this.client ??= new BedrockRuntimeClient(this.props.region ? { region: this.props.region } : {}));
    const command = new InvokeModelCommand({
      modelId: this.modelId,
      contentType: 'application/json',
      accept: 'application/json',
      body: new TextEncoder().encode(JSON.stringify({ inputText: text, dimensions: this.dimensions, normalize: true })),
    });
    const output = await withDeadline('bedrock embeddings', options.timeoutMs, (abortSignal) => client.send(command, { abortSignal }));
    const body = JSON.parse(Buffer.from(output.body ?? new Uint8Array()).toString('utf8')) as { embedding?: unknown; inputTextTokenCount?: unknown };
    if (!Array.isArray(body.embedding) || body.embedding.length !== this.dimensions || !body.embedding.every((n) => typeof n === 'number')) {
      throw new Error(`${this.modelId} returned no ${this.dimensions}-dimension embedding`);
    }
    const inputTokens = typeof body.inputTextTokenCount === 'number' ? body.inputTextTokenCount : 0;
    meter.bedrock(this.modelId, inputTokens, 0);
    return { vector: body.embedding as number[], usage: { modelId: this.modelId, inputTokens, outputTokens: 0 } };
  }
}

/** One question variant of one entry, embedded at publish time. */
export interface VariantEmbedding {
  readonly entryId: string;
  readonly question: string;
  readonly vector: readonly number[];
}

export interface RetrievedCandidate {
  readonly entryId: string;
  /** The variant that matched best. */
  readonly question: string;
  /** Cosine similarity, clamped to 0..1. */
  readonly score: number;
}

/** Embeds every question variant of the given entries (the publish step); the usage adds up every call. */
export async function embedVariants(
  embedder: Pick<TitanEmbeddings, 'embed' | 'modelId'>,
  entries: readonly { readonly id: string; readonly questions: readonly string[] }[],
  options: { readonly timeoutMs: number },
): Promise<{ variants: VariantEmbedding[]; usage: TokenUsage }> {
  const variants: VariantEmbedding[] = [];
  let inputTokens = 0;
  for (const entry of entries) {
    for (const question of entry.questions) {
      const { vector, usage } = await embedder.embed(question, options);
      variants.push({ entryId: entry.id, question, vector });
      inputTokens += usage.inputTokens;
    }
  }
  return { variants, usage: { modelId: embedder.modelId, inputTokens, outputTokens: 0 } };
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`vectors of different dimensions: ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Ranks entries by their best-matching variant against the question's embedding. */
export class EmbeddingRetriever {
  constructor(
    private readonly variants: readonly VariantEmbedding[],
    private readonly embedder: Pick<TitanEmbeddings, 'embed'>,
  ) {}

  async retrieve(
    question: string,
    options: { readonly k: number; readonly minScore?: number; readonly timeoutMs: number },
  ): Promise<{ candidates: RetrievedCandidate[]; usage: TokenUsage }> {
    const { vector, usage } = await this.embedder.embed(question, { timeoutMs: options.timeoutMs });
    return { candidates: rank(this.variants, vector, options.k, options.minScore ?? 0), usage };
  }
}

/** The best variant per entry, highest first, ties by entry id so that a ranking is reproducible. */
export function rank(variants: readonly VariantEmbedding[], query: readonly number[], k: number, minScore = 0): RetrievedCandidate[] {
  const best = new Map<string, RetrievedCandidate>();
  for (const variant of variants) {
    const score = Math.max(0, Math.min(1, cosine(variant.vector, query)));
    const current = best.get(variant.entryId);
    if (!current || score > current.score) best.set(variant.entryId, { entryId: variant.entryId, question: variant.question, score });
  }
  return [...best.values()]
    .filter((c) => c.score >= minScore)
    .sort((a, b) => b.score - a.score || a.entryId.localeCompare(b.entryId))
    .slice(0, Math.max(0, k));
}
