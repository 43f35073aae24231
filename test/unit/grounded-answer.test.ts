import { describe, expect, it } from 'vitest';
import { makeGroundedAnswer, type GroundedAnswerDeps, type GroundedAnswerInput, type LocalAnswer } from '../../shared/application/grounded-answer.use-cases.ts';
import type { AnswerProvider, GroundedAnswer, GroundedAnswerRequest, GroundingEntry } from '../../shared/ports/answer-provider.ts';

const usage = { modelId: 'amazon.nova-micro-v1:0', inputTokens: 420, outputTokens: 30 };

/** A provider that records what it was asked and answers with whatever the test decides. */
function fakeProvider(reply: (request: GroundedAnswerRequest, options: { timeoutMs: number }) => Promise<GroundedAnswer>) {
  const requests: GroundedAnswerRequest[] = [];
  const provider: AnswerProvider = {
    name: 'bedrock',
    answer: (request, options) => {
      requests.push(request);
      return reply(request, options);
    },
  };
  return { provider, requests };
}

const answers = (text: string, citations: string[]) => async (): Promise<GroundedAnswer> => ({ kind: 'answer', text, citations, usage, latencyMs: 310 });
const doesNotKnow = (reason: 'model_declined' | 'guardrail' | 'uncited' | 'no_grounding') => async (): Promise<GroundedAnswer> => ({ kind: 'not_known', reason, usage, latencyMs: 290 });

const returns: GroundingEntry = { entryId: 'kb-returns-how', question: 'how do i return an item', answer: 'Return within 7 days from My orders.', score: 0.62 };
const refund: GroundingEntry = { entryId: 'kb-refund-time', question: 'how long does a refund take', answer: 'Refunds take 1–3 working days.', score: 0.48 };
const exchange: GroundingEntry = { entryId: 'kb-exchange', question: 'can i exchange an item', answer: 'Exchanges are free within 7 days.', score: 0.31 };
const coupon: GroundingEntry = { entryId: 'kb-coupon', question: 'how to use a coupon', answer: 'Enter the code at checkout.', score: 0.12 };

const localAnswer: LocalAnswer = {
  kind: 'answer',
  entryId: 'kb-returns-how',
  text: 'Return within 7 days from My orders.',
  confidence: 0.62,
  alternatives: [{ entryId: 'kb-refund-time', question: 'how long does a refund take', score: 0.48 }],
};
const localOutOfScope: LocalAnswer = { kind: 'out_of_scope', confidence: 0.1, alternatives: [] };

function input(overrides: Partial<GroundedAnswerInput> = {}): GroundedAnswerInput {
  return { question: 'how do I send back a jacket?', language: 'en', local: localAnswer, candidates: [coupon, exchange, refund, returns], ...overrides };
}

function compose(deps: Partial<GroundedAnswerDeps> = {}) {
  return makeGroundedAnswer({ timeoutMs: 200, minGroundingScore: 0.2, maxGrounding: 2, ...deps });
}

describe('the grounded answer without a provider', () => {
  it('serves the local result unchanged', async () => {
    // Act
    const result = await compose()(input());
    // Assess
    expect(result).toEqual({ provider: 'local', kind: 'answer', entryId: 'kb-returns-how', text: localAnswer.text, confidence: 0.62, alternatives: localAnswer.alternatives });
  });
});

describe('the grounded answer with a provider', () => {
  it('shows the provider only the best candidates that clear the grounding bar', async () => {
    // Prepare
    const { provider, requests } = fakeProvider(answers('Return it within 7 days.', ['kb-returns-how']));
    // Act
    await compose({ provider })(input());
    // Assess
    expect(requests[0]?.grounding.map((g) => g.entryId)).toEqual(['kb-returns-how', 'kb-refund-time']);
  });

  it('passes the question, the language, the history and the deadline on', async () => {
    // Prepare
    let deadline = 0;
    const { provider, requests } = fakeProvider(async (_request, options) => {
      deadline = options.timeoutMs;
      return answers('退款 1–3 个工作日到账。', ['kb-refund-time'])();
    });
    const history = [{ role: 'customer' as const, text: '我要退货' }];
    // Act
    await compose({ provider, timeoutMs: 1500 })(input({ question: '那退款要多久', language: 'zh-Hans', history }));
    // Assess
    expect(requests[0]).toMatchObject({ question: '那退款要多久', language: 'zh-Hans', history });
    expect(deadline).toBe(1500);
  });

  it('serves the provider\'s answer with its citations and usage', async () => {
    // Prepare
    const { provider } = fakeProvider(answers('Return it within 7 days; the refund takes 1–3 working days.', ['kb-refund-time', 'kb-returns-how']));
    // Act
    const result = await compose({ provider })(input());
    // Assess
    expect(result).toEqual({
      provider: 'bedrock',
      kind: 'answer',
      text: 'Return it within 7 days; the refund takes 1–3 working days.',
      entryId: 'kb-refund-time',
      citations: ['kb-refund-time', 'kb-returns-how'],
      confidence: 0.48,
      alternatives: [],
      usage,
      latencyMs: 310,
      grounding: ['kb-returns-how', 'kb-refund-time'],
    });
  });

  it('drops citations of entries the provider was not shown', async () => {
    // Prepare
    const { provider } = fakeProvider(answers('Return it within 7 days.', ['kb-coupon', 'kb-returns-how']));
    // Act
    const result = await compose({ provider })(input());
    // Assess
    expect(result).toMatchObject({ kind: 'answer', entryId: 'kb-returns-how', citations: ['kb-returns-how'] });
  });

  it('declares the question out of scope when the provider cites nothing it was shown', async () => {
    // Prepare
    const { provider } = fakeProvider(answers('Use code SAVE10.', ['kb-coupon']));
    // Act
    const result = await compose({ provider })(input());
    // Assess
    expect(result).toMatchObject({ provider: 'bedrock', kind: 'out_of_scope', declineReason: 'uncited', usage });
  });

  it('declares the question out of scope when the provider does not know, even over a confident local answer', async () => {
    // Prepare
    const { provider } = fakeProvider(doesNotKnow('model_declined'));
    // Act
    const result = await compose({ provider })(input({ local: localAnswer }));
    // Assess
    expect(result).toEqual({ provider: 'bedrock', kind: 'out_of_scope', confidence: 0, alternatives: [], declineReason: 'model_declined', usage, latencyMs: 290, grounding: ['kb-returns-how', 'kb-refund-time'] });
  });

  it('declares the question out of scope when the guardrail intervenes', async () => {
    // Prepare
    const { provider } = fakeProvider(doesNotKnow('guardrail'));
    // Act
    const result = await compose({ provider })(input());
    // Assess
    expect(result).toMatchObject({ kind: 'out_of_scope', declineReason: 'guardrail', usage });
    expect(result.text).toBeUndefined();
  });

  it('serves the local result without calling the provider when no candidate clears the bar', async () => {
    // Prepare
    const { provider, requests } = fakeProvider(answers('never', ['kb-coupon']));
    // Act
    const result = await compose({ provider })(input({ local: localOutOfScope, candidates: [coupon] }));
    // Assess
    expect(requests).toHaveLength(0);
    expect(result).toEqual({ provider: 'local', kind: 'out_of_scope', confidence: 0.1, alternatives: [], fallbackReason: 'no_grounding' });
  });

  it('serves the local result without calling the provider while the cost budget is exceeded (degrade)', async () => {
    // Prepare
    const { provider, requests } = fakeProvider(answers('never', ['kb-returns-how']));
    let exceeded = true;
    const grounded = makeGroundedAnswer({ provider, timeoutMs: 1000, minGroundingScore: 0.2, maxGrounding: 4, overBudget: async () => exceeded });
    // Act
    const over = await grounded(input());
    exceeded = false;
    const under = await grounded(input());
    // Assess
    expect(over).toMatchObject({ provider: 'local', kind: 'answer', entryId: 'kb-returns-how', fallbackReason: 'budget' });
    expect(requests).toHaveLength(1);
    expect(under.provider).toBe('bedrock');
  });

  it('serves the local result when the provider itself finds no grounding', async () => {
    // Prepare
    const { provider } = fakeProvider(doesNotKnow('no_grounding'));
    // Act
    const result = await compose({ provider })(input());
    // Assess
    expect(result).toMatchObject({ provider: 'local', kind: 'answer', entryId: 'kb-returns-how', fallbackReason: 'no_grounding' });
  });

  it('falls back to the local result when the provider times out', async () => {
    // Prepare
    const { provider } = fakeProvider(async () => {
      throw Object.assign(new Error('bedrock converse did not answer within 200 ms'), { name: 'TimeoutError' });
    });
    // Act
    const result = await compose({ provider })(input());
    // Assess
    expect(result).toMatchObject({ provider: 'local', kind: 'answer', entryId: 'kb-returns-how', text: localAnswer.text, fallbackReason: 'timeout' });
    expect(result.usage).toBeUndefined();
  });

  it('falls back to the local result when the provider fails', async () => {
    // Prepare
    const { provider } = fakeProvider(async () => {
      throw Object.assign(new Error('Too many requests'), { name: 'ThrottlingException' });
    });
    // Act
    const result = await compose({ provider })(input({ local: localOutOfScope }));
    // Assess
    expect(result).toMatchObject({ provider: 'local', kind: 'out_of_scope', fallbackReason: 'error' });
  });

  it('keeps the usage of a billed call that failed, for cost metering', async () => {
    // Prepare
    const { provider } = fakeProvider(async () => {
      throw Object.assign(new Error('the model stopped with max_tokens'), { code: 'BEDROCK.INCOMPLETE_ANSWER', usage: { ...usage, outputTokens: 400 } });
    });
    // Act
    const result = await compose({ provider })(input());
    // Assess
    expect(result).toMatchObject({ provider: 'local', fallbackReason: 'error', usage: { ...usage, outputTokens: 400 } });
  });

  it('does not wait on a provider that ignores its deadline', async () => {
    // Prepare
    const { provider } = fakeProvider(() => new Promise(() => {}));
    const started = performance.now();
    // Act
    const result = await compose({ provider, timeoutMs: 40 })(input());
    // Assess
    expect(result).toMatchObject({ provider: 'local', fallbackReason: 'timeout' });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('fails at wiring time on a meaningless configuration', () => {
    expect(() => makeGroundedAnswer({ timeoutMs: 0, minGroundingScore: 0.2, maxGrounding: 3 })).toThrow(/timeoutMs/);
    expect(() => makeGroundedAnswer({ timeoutMs: 100, minGroundingScore: 2, maxGrounding: 3 })).toThrow(/minGroundingScore/);
    expect(() => makeGroundedAnswer({ timeoutMs: 100, minGroundingScore: 0.2, maxGrounding: 0 })).toThrow(/maxGrounding/);
  });
});
