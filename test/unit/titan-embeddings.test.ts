/** Titan Text Embeddings V2 at the SDK boundary (InvokeModel mocked) and the cosine retriever over its vectors. */
import { BedrockRuntimeClient, InvokeModelCommand, type InvokeModelCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EmbeddingRetriever, TitanEmbeddings, cosine, embedVariants, rank, type VariantEmbedding } from '../../shared/adapters/bedrock/titan-embeddings.ts';

const bedrock = mockClient(BedrockRuntimeClient);

/** An InvokeModel response as the service returns it: the JSON body as bytes. */
function titanReply(embedding: number[], inputTextTokenCount: number): InvokeModelCommandOutput {
  return {
    body: new TextEncoder().encode(JSON.stringify({ embedding, inputTextTokenCount })),
    contentType: 'application/json',
    $metadata: { httpStatusCode: 200 },
  } as unknown as InvokeModelCommandOutput;
}

/** A unit vector of the given dimension pointing mostly along `axis`. */
function vector(dimensions: number, axis: number, tilt = 0): number[] {
  const v = Array.from({ length: dimensions }, () => 0);
  v[axis] = 1;
  v[(axis + 1) % dimensions] = tilt;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function titan(): TitanEmbeddings {
  return new TitanEmbeddings({ client: new BedrockRuntimeClient({ region: 'us-east-1' }), dimensions: 256 });
}

beforeEach(() => {
  bedrock.reset();
});

describe('Titan embeddings', () => {
  it('invokes Titan V2 with the text, the dimensions and normalisation', async () => {
    // Prepare
    bedrock.on(InvokeModelCommand).resolves(titanReply(vector(256, 3), 7));
    // Act
    await titan().embed('怎么退货', { timeoutMs: 1000 });
    // Assess
    const input = bedrock.commandCalls(InvokeModelCommand)[0]!.args[0].input;
    expect(input.modelId).toBe('amazon.titan-embed-text-v2:0');
    expect(input.contentType).toBe('application/json');
    expect(JSON.parse(new TextDecoder().decode(input.body as Uint8Array))).toEqual({ inputText: '怎么退货', dimensions: 256, normalize: true });
  });

  it('returns the vector and the input tokens for cost metering', async () => {
    // Prepare
    bedrock.on(InvokeModelCommand).resolves(titanReply(vector(256, 3), 7));
    // Act
    const result = await titan().embed('怎么退货', { timeoutMs: 1000 });
    // Assess
    expect(result.vector).toHaveLength(256);
    expect(result.usage).toEqual({ modelId: 'amazon.titan-embed-text-v2:0', inputTokens: 7, outputTokens: 0 });
  });

  it('rejects a vector of the wrong dimension', async () => {
    // Prepare
    bedrock.on(InvokeModelCommand).resolves(titanReply(vector(512, 3), 7));
    // Act
    const outcome = titan().embed('怎么退货', { timeoutMs: 1000 });
    // Assess
    await expect(outcome).rejects.toThrow(/256-dimension/);
  });

  it('rejects with a TimeoutError when Titan does not answer in time', async () => {
    // Prepare
    bedrock.on(InvokeModelCommand).callsFake(() => new Promise(() => {}));
    // Act
    const outcome = titan().embed('怎么退货', { timeoutMs: 30 });
    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('embeds every question variant at publish time and adds up the tokens', async () => {
    // Prepare
    bedrock.on(InvokeModelCommand).resolvesOnce(titanReply(vector(256, 1), 4)).resolvesOnce(titanReply(vector(256, 2), 5)).resolves(titanReply(vector(256, 3), 6));
    const entries = [
      { id: 'kb-returns-how', questions: ['怎么退货', 'how do i return an item'] },
      { id: 'kb-refund-time', questions: ['退款多久到账'] },
    ];
    // Act
    const { variants, usage } = await embedVariants(titan(), entries, { timeoutMs: 1000 });
    // Assess
    expect(variants.map((v) => [v.entryId, v.question])).toEqual([
      ['kb-returns-how', '怎么退货'],
      ['kb-returns-how', 'how do i return an item'],
      ['kb-refund-time', '退款多久到账'],
    ]);
    expect(usage.inputTokens).toBe(15);
  });
});

describe('the embedding retriever', () => {
  const variants: VariantEmbedding[] = [
    { entryId: 'kb-returns-how', question: '怎么退货', vector: vector(256, 1) },
    { entryId: 'kb-returns-how', question: 'how do i return an item', vector: vector(256, 1, 0.3) },
    { entryId: 'kb-refund-time', question: '退款多久到账', vector: vector(256, 2) },
    { entryId: 'kb-coupon', question: 'how to use a coupon', vector: vector(256, 9) },
  ];

  it('ranks entries by their best variant and returns the top k with the usage', async () => {
    // Prepare
    bedrock.on(InvokeModelCommand).resolves(titanReply(vector(256, 1, 0.5), 6));
    const retriever = new EmbeddingRetriever(variants, titan());
    // Act
    const { candidates, usage } = await retriever.retrieve('我想把衣服退回去', { k: 2, timeoutMs: 1000 });
    // Assess
    expect(candidates.map((c) => [c.entryId, c.question])).toEqual([
      ['kb-returns-how', 'how do i return an item'],
      ['kb-refund-time', '退款多久到账'],
    ]);
    expect(candidates[0]!.score).toBeGreaterThan(candidates[1]!.score);
    expect(usage.inputTokens).toBe(6);
  });

  it('leaves out entries below the minimum score', () => {
    // Act
    const candidates = rank(variants, vector(256, 1), 5, 0.5);
    // Assess
    expect(candidates.map((c) => c.entryId)).toEqual(['kb-returns-how']);
  });

  it('measures cosine similarity whatever the vectors\' lengths', () => {
    expect(cosine([2, 0], [5, 0])).toBeCloseTo(1);
    expect(cosine([1, 0], [0, 3])).toBeCloseTo(0);
    expect(() => cosine([1, 0], [1, 0, 0])).toThrow(/different dimensions/);
  });
});
