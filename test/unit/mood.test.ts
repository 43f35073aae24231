import { describe, expect, it } from 'vitest';
import { trendOf, updateMood, valenceOf, type ConversationMood } from '../../shared/domain/sentiment/mood.ts';
import { scoreSentiment } from '../../shared/domain/sentiment/local-sentiment-engine.ts';

const AT = '2026-11-22T08:00:00Z';

function walk(texts: readonly string[]): ConversationMood {
  let mood: ConversationMood | undefined;
  texts.forEach((text, i) => (mood = updateMood(mood, scoreSentiment(text), `msg_${i}`, AT)));
  return mood!;
}

describe('the conversation mood', () => {
  it('gives a negative valence to an angry message and a positive one to thanks', () => {
    expect(valenceOf(scoreSentiment('你们太慢了！！！我要投诉'))).toBeLessThan(-0.5);
    expect(valenceOf(scoreSentiment('Thank you, that was really helpful'))).toBeGreaterThan(0.3);
    expect(valenceOf(scoreSentiment('我的包裹到哪了'))).toBe(0);
  });

  it('follows the current emotion, keeps the worst moment and the recent turns', () => {
    const mood = walk(['我的包裹到哪了', '你们太慢了！！！我要投诉', '好的，谢谢']);
    expect(mood.emotion).toBe('happy');
    expect(mood.worst).toMatchObject({ messageId: 'msg_1', emotion: 'angry' });
    expect(mood.recent).toHaveLength(3);
    expect(mood.turns).toBe(3);
  });

  it('reads a steady slide as worsening and a recovery as improving, one bad message as neither', () => {
    expect(trendOf([0, -0.3, -0.6], 3)).toBe('worsening');
    expect(trendOf([-0.8, -0.4, 0.2], 3)).toBe('improving');
    // One bad message after calm ones is not a slide (anger and anxiety thresholds take that), nor two plain
    // questions that read mildly negative after a neutral one ("where is my parcel", "怎么退货").
    expect(trendOf([0, 0, -0.9], 3)).toBe('steady');
    expect(trendOf([0, -0.609, -0.6], 3)).toBe('steady');
    expect(trendOf([0, -0.9, 0], 3)).toBe('steady');
    expect(trendOf([-0.5], 3)).toBe('steady');
    expect(walk(['I ordered a jacket last week', 'still waiting, this is slow', 'This is the third time I am asking, terrible service']).trend).toBe('worsening');
  });

  it('keeps at most eight recent turns', () => {
    expect(walk(Array.from({ length: 12 }, () => 'ok')).recent).toHaveLength(8);
  });
});
