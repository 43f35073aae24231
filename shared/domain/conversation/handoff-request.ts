/**
 * "转人工 / 人工客服 / human / agent" must work at any turn (product principle 1: the bot never traps anyone).
 * Matching is on the whole (normalised) message or an explicit request phrase, so that "my agent number is ..." or
 * "人工智能" do not trigger a handoff.
 */
const explicitPhrases = [
  '转人工', '轉人工', '人工客服', '人工服务', '人工服務', '找人工', '要人工', '真人客服', '真人', '人工坐席', '接人工', '转接人工', '轉接人工',
  'talk to a human', 'talk to human', 'speak to a human', 'speak to someone', 'talk to someone', 'real person', 'human agent',
  'live agent', 'customer service representative', 'talk to an agent', 'speak to an agent', 'connect me to an agent',
];
const wholeMessage = new Set(['人工', 'human', 'agent', 'operator', 'representative', 'a human', 'an agent', 'person']);

export function isHandoffRequest(text: string): boolean {
  const normalised = text.toLowerCase().replace(/[\s!！?？。.,，~～]+/g, ' ').trim();
  if (wholeMessage.has(normalised)) return true;
  return explicitPhrases.some((phrase) => normalised.includes(phrase));
}
