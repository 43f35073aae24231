import { describe, expect, it } from 'vitest';
import { demoOrderView } from '../../infra/local/demo-order-service.ts';
import { demoFlows } from '../../shared/domain/flows/demo-flows.ts';
import { isCancelRequest, yesOrNo } from '../../shared/domain/flows/flow-commands.ts';
import type { FlowDefinition } from '../../shared/domain/flows/flow-definition.ts';
import { resume, start, step, type CallResult, type ConnectorRequest, type FlowAction, type FlowContext, type FlowState, type FlowTurn } from '../../shared/domain/flows/flow-engine.ts';
import { FlowTriggerMatcher } from '../../shared/domain/flows/flow-trigger.ts';

const now = new Date('2026-11-22T04:00:00Z');
const [orderStatus, returnRefund] = demoFlows() as [FlowDefinition, FlowDefinition];

/** The demo shop, answered in memory: what the HTTP connector would bring back from infra/local/demo-order-service.ts. */
function shop(request: ConnectorRequest): CallResult {
  const order = /^\/orders\/(.+)$/.exec(request.path);
  if (request.method === 'GET' && order) {
    const view = demoOrderView(decodeURIComponent(order[1]!), now);
    return view ? { kind: 'response', status: 200, body: view } : { kind: 'response', status: 404, body: { error: 'order_not_found' } };
  }
  if (request.method === 'POST' && request.path === '/returns') {
    return { kind: 'response', status: 201, body: { returnId: 'RT240001', returnAddress: { zh: '上海退货仓', en: 'Shanghai returns desk' }, shipBy: '2026-11-29', refundAmount: 459 } };
  }
  return { kind: 'response', status: 404, body: {} };
}

interface Walked {
  readonly state: FlowState | undefined;
  readonly messages: string[];
  /** Every action but the calls (those are in `calls`). */
  readonly actions: FlowAction[];
  readonly calls: ConnectorRequest[];
}

/** Performs the turn's calls (state stored as JSON between turns, as a session store would). */
function settle(def: FlowDefinition, first: FlowTurn, respond: (r: ConnectorRequest) => CallResult = shop): Walked {
  const kept = (actions: readonly FlowAction[]) => actions.filter((a) => a.kind !== 'call');
  const out: Walked = { state: undefined, messages: [...first.messages], actions: kept(first.actions), calls: [] };
  let turn = first;
  for (;;) {
    const call = turn.actions.find((a) => a.kind === 'call');
    if (!call || call.kind !== 'call' || !turn.state) break;
    out.calls.push(call.request);
    turn = resume(def, JSON.parse(JSON.stringify(turn.state)), respond(call.request));
    out.messages.push(...turn.messages);
    out.actions.push(...kept(turn.actions));
  }
  return { ...out, state: turn.state ? JSON.parse(JSON.stringify(turn.state)) : undefined };
}

/** A conversation: the first line starts the flow, each next line is the customer's answer; returns every turn. */
function converse(def: FlowDefinition, lines: readonly string[], ctx: FlowContext = {}, respond?: (r: ConnectorRequest) => CallResult): Walked[] {
  const turns: Walked[] = [settle(def, start(def, { ...ctx, triggerText: lines[0]! }), respond)];
  for (const line of lines.slice(1)) {
    const state = turns.at(-1)!.state;
    if (!state) throw new Error(`the flow ended before "${line}"`);
    turns.push(settle(def, step(def, state, line, ctx), respond));
  }
  return turns;
}

const ended = (turn: Walked) => turn.actions.find((a) => a.kind === 'end');

describe('the order-status flow', () => {
  it('asks for the order number, looks it up and answers with the logistics state (zh)', () => {
    const [first, last] = converse(orderStatus, ['我的订单到哪了', '我的订单号是 KF20240012'], { language: 'zh-Hans' });
    expect(first!.messages).toEqual([expect.stringContaining('请告诉我您的订单号')]);
    expect(last!.calls).toEqual([{ method: 'GET', path: '/orders/KF20240012' }]);
    expect(last!.messages[0]).toMatch(/订单 KF20240012 已发货，运输中。承运商：顺丰速运，运单号：SF1402233890012。最新动态（.+）：快件已从南京转运中心发出/);
    expect(ended(last!)).toEqual({ kind: 'end', outcome: 'completed' });
    expect(last!.state).toBeUndefined();
  });

  it('answers at once when the starting message carries the order number (en)', () => {
    const [only] = converse(orderStatus, ['where is order kf20240003?'], { language: 'en' });
    expect(only!.calls).toEqual([{ method: 'GET', path: '/orders/KF20240003' }]);
    expect(only!.messages).toEqual([expect.stringMatching(/^Order KF20240003 is out for delivery and should arrive today\. Carrier: ZTO Express/)]);
    expect(ended(only!)?.kind).toBe('end');
  });

  it.each([
    ['KF20240001', /目前待发货，预计 \d{4}-\d{2}-\d{2} 前发出/],
    ['KF20240004', /已于 .+ 签收/],
    ['KF20240006', /已取消，已原路退款/],
  ])('answers the state of %s', (orderNumber, expected) => {
    const turns = converse(orderStatus, ['查订单', orderNumber], { language: 'zh-Hans' });
    expect(turns.at(-1)!.messages[0]).toMatch(expected);
  });

  it('re-prompts a malformed order number and hands off after the attempts run out', () => {
    const turns = converse(orderStatus, ['查订单', '12345', '不知道', 'KF123']);
    expect(turns[1]!.messages).toEqual([expect.stringContaining('格式好像不对')]);
    expect(turns[2]!.messages).toEqual([expect.stringContaining('格式好像不对')]);
    expect(turns[3]!.actions).toEqual([{ kind: 'handoff', reason: 'max_attempts' }, { kind: 'end', outcome: 'handoff' }]);
    expect(turns[3]!.messages[0]).toContain('转接人工客服');
  });

  it('asks again once for an order number that does not exist, then hands off', () => {
    const turns = converse(orderStatus, ['我的订单到哪了', 'KF99990001', 'KF99990002']);
    expect(turns[1]!.messages).toEqual(['没有查到订单 KF99990001，请核对后重新发送订单号。']);
    expect(turns[1]!.state?.stepId).toBe('ask_order');
    expect(turns[2]!.actions).toContainEqual({ kind: 'handoff', reason: 'order_not_found' });
    expect(turns[2]!.messages).toEqual([expect.stringContaining('还是没有查到订单 KF99990002')]);
  });

  it('recovers when the second order number is right', () => {
    const turns = converse(orderStatus, ['where is my order', 'KF99990001', 'sorry, it is KF20240002'], { language: 'en' });
    expect(turns[1]!.messages).toEqual(['I could not find order KF99990001. Please check the number and send it again.']);
    expect(turns[2]!.messages[0]).toMatch(/^Order KF20240002 is shipped and in transit with SF Express/);
  });

  it('hands off when the customer types 转人工 mid-flow', () => {
    const turns = converse(orderStatus, ['查订单', '转人工']);
    expect(turns[1]!.actions).toEqual([{ kind: 'handoff', reason: 'requested' }, { kind: 'end', outcome: 'handoff' }]);
    expect(turns[1]!.messages).toEqual(['好的，正在为您转接人工客服，请稍候。']);
    expect(turns[1]!.state).toBeUndefined();
  });

  it('ends cancelled with an acknowledgement on 算了', () => {
    const turns = converse(orderStatus, ['查订单', '算了吧']);
    expect(turns[1]!.actions).toEqual([{ kind: 'end', outcome: 'cancelled' }]);
    expect(turns[1]!.messages).toEqual([expect.stringContaining('已为您取消')]);
  });

  it('ends cancelled on "never mind" in English', () => {
    const turns = converse(orderStatus, ['where is my order', 'never mind, thanks'], { language: 'en' });
    expect(turns[1]!.messages).toEqual(['OK, I have cancelled that. Is there anything else I can help with?']);
  });

  it('ends as a topic change when the answer does not fit and the message is confidently another question', () => {
    const first = converse(orderStatus, ['查订单'])[0]!;
    const turn = step(orderStatus, first.state!, '你们支持开发票吗', { classify: { entryId: 'kb-invoice', confidence: 0.82 } });
    expect(turn).toEqual({ state: undefined, messages: [], actions: [{ kind: 'end', outcome: 'topic_change' }] });
  });

  it('re-prompts rather than leaving when the classifier is unsure', () => {
    const first = converse(orderStatus, ['查订单'])[0]!;
    const turn = step(orderStatus, first.state!, '嗯嗯', { classify: { entryId: 'kb-invoice', confidence: 0.3 } });
    expect(turn.messages).toEqual([expect.stringContaining('格式好像不对')]);
    expect(turn.state?.stepId).toBe('ask_order');
  });

  it('stays when the classifier points at the running flow itself', () => {
    const first = converse(orderStatus, ['查订单'])[0]!;
    const turn = step(orderStatus, first.state!, '我的订单到哪了', { classify: { flowId: 'order-status', confidence: 0.95 } });
    expect(turn.state?.stepId).toBe('ask_order');
  });

  it('understands Traditional Chinese (訂單) and keeps answering in Chinese', () => {
    const [first, last] = converse(orderStatus, ['請幫我查一下訂單', '我的訂單號是 KF20240007']);
    expect(first!.state?.language).toBe('zh-Hant');
    expect(first!.messages[0]).toContain('订单号');
    expect(last!.messages[0]).toMatch(/订单 KF20240007 已发货，运输中。承运商：京东物流/);
  });

  it('keeps the flow language when the answer is only an order number', () => {
    const [, last] = converse(orderStatus, ['我的订单到哪了', 'KF20240002'], { language: 'zh-Hans' });
    expect(last!.messages[0]).toMatch(/^订单 KF20240002/);
  });

  it('hands off with an apology when the order system fails', () => {
    const [only] = converse(orderStatus, ['查订单 KF20240002'], {}, () => ({ kind: 'failure', error: 'timeout' }));
    expect(only!.actions).toContainEqual({ kind: 'handoff', reason: 'connector_error' });
    expect(only!.messages).toEqual([expect.stringContaining('系统暂时无法处理')]);
  });

  it('reads a server error as the error branch', () => {
    const [only] = converse(orderStatus, ['where is order KF20240002'], { language: 'en' }, () => ({ kind: 'response', status: 503, body: null }));
    expect(only!.actions).toContainEqual({ kind: 'handoff', reason: 'connector_error' });
  });

  it('refuses a call result when no call is pending', () => {
    const first = converse(orderStatus, ['查订单'])[0]!;
    expect(() => resume(orderStatus, first.state!, { kind: 'response', status: 200, body: {} })).toThrow(/not waiting for a call result/);
  });
});

describe('the return-refund flow', () => {
  it('walks to a registered return and an after-sales ticket (zh)', () => {
    const turns = converse(returnRefund, ['我要退货', 'KF20240008', '第二个', '尺码偏小，穿不上', '是的'], { language: 'zh-Hans' });
    expect(turns[1]!.messages[0]).toBe('订单 KF20240008 中有以下商品，请问要退哪一件？回复序号或商品名即可：\n1. 纯棉T恤 白色 M码\n2. 防风夹克 藏青 L码\n3. 休闲运动鞋 白色 42码');
    expect(turns[2]!.messages[0]).toContain('请问退货的原因是？');
    expect(turns[3]!.messages[0]).toBe('请确认退货信息：\n订单：KF20240008\n商品：防风夹克 藏青 L码\n原因：尺寸不合适\n确认提交退货申请吗？（是 / 否）');
    const last = turns[4]!;
    expect(last.calls).toEqual([{ method: 'POST', path: '/returns', body: { orderNumber: 'KF20240008', item: 'JK-NVY-L', reason: 'size' } }]);
    expect(last.messages[0]).toMatch(/^退货申请已提交，退货单号：RT240001。\n下一步：请在 2026-11-29 前将商品寄回 上海退货仓/);
    expect(last.actions).toEqual([
      {
        kind: 'create_ticket',
        ticket: {
          flowId: 'return-refund',
          type: 'after-sales',
          priority: 'normal',
          subject: '退货 RT240001：订单 KF20240008',
          description: expect.stringContaining('商品：防风夹克 藏青 L码，原因：尺寸不合适'),
          slots: { orderNumber: 'KF20240008', item: 'JK-NVY-L', reason: 'size' },
        },
      },
      { kind: 'end', outcome: 'completed' },
    ]);
  });

  it('walks to a registered return in English, choosing by name and reason in own words', () => {
    const turns = converse(returnRefund, ['I want to return an item', 'it is KF20240004', 'the earbuds', 'they are broken', 'yes please'], { language: 'en' });
    expect(turns[1]!.messages[0]).toBe('Order KF20240004 has these items. Which one would you like to return? Reply with the number or the name:\n1. Wireless Earbuds Pro\n2. Clear phone case');
    expect(turns[3]!.messages[0]).toBe('Please confirm the return:\nOrder: KF20240004\nItem: Wireless Earbuds Pro\nReason: Quality problem\nShall I submit it? (yes / no)');
    expect(turns[4]!.calls[0]?.body).toEqual({ orderNumber: 'KF20240004', item: 'EB-PRO-BLK', reason: 'quality' });
    expect(turns[4]!.messages[0]).toMatch(/^Your return is registered: return number RT240001\./);
  });

  it('takes the only item of a one-item order without asking', () => {
    const turns = converse(returnRefund, ['申请退货 KF20240012'], { language: 'zh-Hans' }, (r) =>
      r.path === '/orders/KF20240012' ? { kind: 'response', status: 200, body: { ...demoOrderView('KF20240004', now), items: [{ sku: 'EB-PRO-BLK', name: { zh: '无线蓝牙耳机 Pro', en: 'Wireless Earbuds Pro' } }] } } : shop(r),
    );
    expect(turns[0]!.messages).toEqual([expect.stringContaining('请问退货的原因是？')]);
    expect(turns[0]!.state?.slots.item).toBe('EB-PRO-BLK');
  });

  it('explains the closed return window and opens a ticket when the customer wants one', () => {
    const turns = converse(returnRefund, ['我要退货', 'KF20240005', '好的']);
    expect(turns[1]!.messages[0]).toMatch(/^订单 KF20240005 已于 .+ 签收，超过了 7 天无理由退货期限/);
    expect(turns[2]!.actions[0]).toMatchObject({ kind: 'create_ticket', ticket: { type: 'after-sales', subject: '超期退货申请：订单 KF20240005' } });
    expect(turns[2]!.messages).toEqual(['已为您创建售后工单，售后专员会在 1 个工作日内联系您。']);
  });

  it('ends politely when the customer does not want a ticket for a closed return window', () => {
    const turns = converse(returnRefund, ['return my order', 'KF20240005', 'no'], { language: 'en' });
    expect(turns[2]!.actions).toEqual([{ kind: 'end', outcome: 'completed' }]);
  });

  it('offers a handoff from the closed return window too (转人工 works in a confirmation)', () => {
    const turns = converse(returnRefund, ['我要退货', 'KF20240005', '转人工']);
    expect(turns[2]!.actions).toEqual([{ kind: 'handoff', reason: 'requested' }, { kind: 'end', outcome: 'handoff' }]);
  });

  it('tells that a cancelled order has nothing to return', () => {
    const [, last] = converse(returnRefund, ['我要退货', 'KF20240006']);
    expect(last!.messages).toEqual(['订单 KF20240006 已经取消，无需退货，已原路退款。']);
  });

  it('does not submit when the customer says no at the summary', () => {
    const turns = converse(returnRefund, ['我要退货', 'KF20240008', '1', '不想要了', '不对']);
    expect(turns[4]!.calls).toEqual([]);
    expect(turns[4]!.messages[0]).toContain('退货申请没有提交');
  });

  it('re-prompts an unclear confirmation with the choices kept', () => {
    const turns = converse(returnRefund, ['我要退货', 'KF20240008', '袜子']);
    expect(turns[2]!.messages[0]).toBe('抱歉没看明白，请回复要退商品前面的序号（例如 1）：\n1. 纯棉T恤 白色 M码\n2. 防风夹克 藏青 L码\n3. 休闲运动鞋 白色 42码');
  });

  it('confirms with Traditional Chinese 確認', () => {
    const turns = converse(returnRefund, ['我要退貨', 'KF20240008', '3', '質量問題', '確認']);
    expect(turns[3]!.messages[0]).toContain('原因：质量问题');
    expect(turns[4]!.calls[0]?.body).toMatchObject({ item: 'SN-WHT-42', reason: 'quality' });
  });

  it('hands off on 转人工 in the middle of the return', () => {
    const turns = converse(returnRefund, ['我要退货', 'KF20240008', '转人工']);
    expect(turns[2]!.actions).toContainEqual({ kind: 'handoff', reason: 'requested' });
  });

  it('hands off with an apology when registering the return fails', () => {
    const turns = converse(returnRefund, ['我要退货', 'KF20240008', '1', '其他', '是'], {}, (r) => (r.method === 'POST' ? { kind: 'failure', error: 'timeout' } : shop(r)));
    expect(turns[4]!.actions).toEqual([{ kind: 'handoff', reason: 'connector_error' }, { kind: 'end', outcome: 'handoff' }]);
  });
});

describe('flow commands', () => {
  it.each(['算了', '算了吧，谢谢', '取消', '不用了', '不要了', 'cancel', 'Never mind!', 'stop', 'quit'])('reads %s as cancel', (text) => {
    expect(isCancelRequest(text)).toBe(true);
  });

  it.each(['取消订单', '不想要了', 'stop sending me emails', 'KF20240001', 'ok'])('does not read %s as cancel', (text) => {
    expect(isCancelRequest(text)).toBe(false);
  });

  it.each([
    ['是', 'yes'],
    ['对的', 'yes'],
    ['确认', 'yes'],
    ['好的', 'yes'],
    ['Yes please', 'yes'],
    ['y', 'yes'],
    ['correct', 'yes'],
    ['不', 'no'],
    ['不是的', 'no'],
    ['否', 'no'],
    ['no', 'no'],
    ['N', 'no'],
    ['是不是', undefined],
    ['我再想想', undefined],
  ])('reads %s as %s', (text, expected) => {
    expect(yesOrNo(text)).toBe(expected);
  });
});

describe('flow triggers', () => {
  const matcher = new FlowTriggerMatcher(demoFlows());

  it.each([
    ['我的订单到哪了', 'order-status'],
    ['我的訂單到哪了', 'order-status'],
    ['where is order KF20240012', 'order-status'],
    ['查一下订单', 'order-status'],
    ['我想退货', 'return-refund'],
    ['I want to return something', 'return-refund'],
    ['申请退貨', 'return-refund'],
  ])('starts a flow for %s', (text, flowId) => {
    expect(matcher.match(text)?.flowId).toBe(flowId);
  });

  it.each(['怎么开发票', '退货运费谁出', 'how long does shipping take', 'hello', '我要投诉'])('starts nothing for %s', (text) => {
    expect(matcher.match(text)).toBeUndefined();
  });
});
