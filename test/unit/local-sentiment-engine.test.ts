import { describe, expect, it } from 'vitest';
import { scoreSentiment } from '../../shared/domain/sentiment/local-sentiment-engine.ts';

describe('the local sentiment engine', () => {
  it.each([
    ['你们太慢了！！！我要投诉', 'angry'],
    ['什么破服务，我要给差评', 'angry'],
    ['This is unacceptable, I want to cancel my account', 'angry'],
    ['我很着急，包裹怎么还没到', 'anxious'],
    ['urgent: still waiting for my order', 'anxious'],
    ['收到的东西坏了，太失望了', 'disappointed'],
    ['谢谢，问题解决了，很满意', 'happy'],
    ['Thank you, that was really helpful', 'happy'],
    ['我的包裹到哪了', 'neutral'],
  ])('reads %s as %s', (text, emotion) => {
    expect(scoreSentiment(text).emotion).toBe(emotion);
  });

  it('reads negation: 不满意 is negative, 不着急 is calm', () => {
    expect(scoreSentiment('我对这个结果很不满意').polarity).toBe('negative');
    expect(scoreSentiment('不着急，慢慢来').emotion).toBe('neutral');
    expect(scoreSentiment('not happy with this at all').polarity).toBe('negative');
  });

  it.each([
    ['是不是有点太不合理了', 'negative'],
    ['别浪费钱买这本书', 'negative'],
    ['量挺大的', 'positive'],
    ['电池时间短，经常卡', 'negative'],
    ['故事很吸引人，十全十美', 'positive'],
    ['售后服务有待提高', 'negative'],
  ])('reads the polarity of %s as %s', (text, polarity) => {
    expect(scoreSentiment(text).polarity).toBe(polarity);
  });

  it('reads Traditional characters like Simplified ones', () => {
    expect(scoreSentiment('我要投訴，太生氣了').emotion).toBe('angry');
  });

  it('raises intensity with repetition and exclamation marks', () => {
    expect(scoreSentiment('太慢了!!!').intensity).toBeGreaterThan(scoreSentiment('太慢了').intensity);
  });

  it('detects the language', () => {
    expect(scoreSentiment('我的包裹到哪了').language).toBe('zh-Hans');
    expect(scoreSentiment('我的包裹到哪裡了，退貨').language).toBe('zh-Hant');
    expect(scoreSentiment('where is my parcel').language).toBe('en');
  });
});
