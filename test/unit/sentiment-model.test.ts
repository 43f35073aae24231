import { describe, expect, it } from 'vitest';
import { mapLabels } from '../../shared/domain/sentiment/labels.ts';
import { scoreSentiment } from '../../shared/domain/sentiment/local-sentiment-engine.ts';
import { SentimentModel } from '../../shared/domain/sentiment/sentiment-model.ts';
import { noSegmenter } from '../../shared/domain/knowledge/segmenter.ts';

// A company's own labelled messages (written for this test): its customers call a slow courier "蜗牛".
const rows = [
  ...['快递像蜗牛一样', '蜗牛速度，服务也一般', '又是蜗牛快递', '这个物流就是蜗牛', 'snail pace delivery again', 'the courier is a snail'].map((text) => ({ text, label: 'negative' })),
  ...['送货很快，谢谢', '包装完好，非常满意', '客服态度很好', 'fast delivery, thanks', 'great service, very happy', '物流给力，点赞'].map((text) => ({ text, label: 'positive' })),
];

describe('the trainable sentiment model', () => {
  it('learns a company\'s own words that the shipped lexicon does not know', () => {
    expect(scoreSentiment('蜗牛').polarity).toBe('neutral');
    const model = SentimentModel.train(rows, 'polarity', { segmenter: noSegmenter });
    const result = scoreSentiment('怎么又是蜗牛', { model });
    expect(result.polarity).toBe('negative');
    expect(result.scores.negative).toBeGreaterThan(result.scores.positive);
    expect(scoreSentiment('很快，满意', { model }).polarity).toBe('positive');
  });

  it('is deterministic and survives a JSON round trip with the same scores', () => {
    const a = SentimentModel.train(rows, 'polarity', { segmenter: noSegmenter });
    const b = SentimentModel.train(rows, 'polarity', { segmenter: noSegmenter });
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const loaded = SentimentModel.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(Array.from(loaded.scores('蜗牛快递'))).toEqual(Array.from(a.scores('蜗牛快递')));
  });

  it('trains an emotion model whose emotion decides, with polarity following it', () => {
    const emotion = mapLabels([
      ...['气死了', '我要投诉你们', '太过分了', 'this is outrageous', 'I am furious'].map((text) => ({ text, label: 'anger' })),
      ...['谢谢你们', '太开心了', 'love it, thanks', 'so happy with this', '好评'].map((text) => ({ text, label: 'joy' })),
      ...['我的订单号是多少', '几点发货', 'what time do you open', 'where is the store', '发票怎么开'].map((text) => ({ text, label: 'neutral' })),
    ]);
    expect(emotion.task).toBe('emotion');
    const model = SentimentModel.train(emotion.rows, emotion.task, { segmenter: noSegmenter });
    expect(model.labels).toEqual(['angry', 'happy', 'neutral']);
    const result = scoreSentiment('真的气死了，我要投诉', { model });
    expect(result).toMatchObject({ emotion: 'angry', polarity: 'negative' });
  });

  it('refuses labels it cannot map and files that are not a model', () => {
    expect(() => mapLabels([{ text: 'x', label: 'bored' }])).toThrow(/bored/);
    expect(() => SentimentModel.train([{ text: 'a', label: 'positive' }], 'polarity')).toThrow(/two different labels/);
    expect(() => SentimentModel.fromJSON({ format: 'other' })).toThrow(/not a Kefu sentiment model/);
    const data = SentimentModel.train(rows, 'polarity', { segmenter: noSegmenter }).toJSON();
    expect(() => SentimentModel.fromJSON({ ...data, weights: data.weights.slice(1) })).toThrow(/weights/);
    expect(() => SentimentModel.fromJSON({ ...data, labels: ['positive', 'furious'] })).toThrow(/labels/);
  });

  it('maps the public sets\' labels as documented', () => {
    expect(mapLabels([{ text: 'a', label: '1' }, { text: 'b', label: '0' }])).toMatchObject({ task: 'polarity', labels: ['negative', 'positive'] });
    expect(mapLabels([{ text: 'a', label: 'sad' }, { text: 'b', label: 'fear' }, { text: 'c', label: 'surprise' }]).labels).toEqual(['disappointed', 'fearful', 'surprised']);
    expect(mapLabels([{ text: 'a', label: 'disgust' }, { text: 'b', label: 'joy' }]).labels).toEqual(['disgusted', 'happy']);
  });
});
