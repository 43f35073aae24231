/** The widget's words, in the two languages it speaks (chosen by data-lang, else the browser's language). */
export type Lang = 'zh' | 'en';

const zh = {
  title: '在线客服',
  open: '打开在线客服',
  openUnread: (n: number) => `打开在线客服（${n} 条新消息）`,
  close: '关闭',
  greeting: '您好！我是智能客服，请问有什么可以帮您？',
  placeholder: '请输入您的问题，Enter 发送',
  input: '输入消息',
  send: '发送',
  human: '转人工',
  humanAsk: '转人工',
  humanBusy: '已在为您转接人工客服',
  transcript: '聊天记录',
  you: '我',
  bot: '智能客服',
  agent: '人工客服',
  system: '系统消息',
  statusBot: '智能客服在线',
  statusQueued: '排队中，请稍候',
  statusPosition: (n: number) => `排队中，第 ${n} 位`,
  statusAgent: (name?: string) => (name ? `人工客服 ${name} 为您服务` : '人工客服为您服务'),
  statusResolved: '会话已结束，如有问题可继续留言',
  pending: '发送中…',
  failed: '发送失败',
  retry: '重试',
  offline: '网络连接中断，正在重试…',
  link: '打开链接',
  image: '图片',
};

const en: typeof zh = {
  title: 'Customer service',
  open: 'Open customer service chat',
  openUnread: (n: number) => `Open customer service chat (${n} new)`,
  close: 'Close',
  greeting: 'Hi! I am the virtual assistant. How can I help you?',
  placeholder: 'Type your question, Enter to send',
  input: 'Message',
  send: 'Send',
  human: 'Talk to a human',
  humanAsk: 'human agent',
  humanBusy: 'A human agent is on the way',
  transcript: 'Conversation',
  you: 'You',
  bot: 'Assistant',
  agent: 'Agent',
  system: 'Notice',
  statusBot: 'Virtual assistant online',
  statusQueued: 'Waiting for an agent',
  statusPosition: (n: number) => `In the queue: number ${n}`,
  statusAgent: (name?: string) => (name ? `${name} is helping you` : 'An agent is helping you'),
  statusResolved: 'This conversation has ended; write again any time',
  pending: 'Sending…',
  failed: 'Not sent',
  retry: 'Retry',
  offline: 'Connection lost, retrying…',
  link: 'Open link',
  image: 'Image',
};

export type Words = typeof zh;

export function pickLang(requested: string | undefined, browser: string | undefined): Lang {
  return (requested || browser || 'zh').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export const words = (lang: Lang): Words => (lang === 'zh' ? zh : en);
