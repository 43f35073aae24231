/**
 * The demo company: an online shop with a bilingual (简体 / 繁體 / English) knowledge base, agents with skills and
 * groups, and a few customers. Seeding is idempotent (fixed ids), so every start leaves the same demo in place.
 */
import type { KnowledgeEntry } from '../../shared/domain/knowledge/knowledge-entry.ts';
import type { Agent, Customer } from '../../shared/ports/directory.ts';
import type { Role } from '../../shared/manifest/manifest.ts';
import { DynamoDbRoutingStore } from '../../shared/adapters/dynamodb/routing.dynamodb.ts';
import type { RoutingGroup } from '../../shared/domain/routing/routing.ts';
import { dynamoDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { tableName } from '../../shared/config/runtime-config.ts';
import { DynamoDbAgentDirectory, DynamoDbCustomerDirectory } from '../../shared/adapters/dynamodb/directory.dynamodb.ts';
import { DynamoDbKnowledgeRepository } from '../../shared/adapters/dynamodb/knowledge.repository.dynamodb.ts';
import { changedFields } from '../../shared/domain/knowledge/knowledge-admin.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { DynamoDbFlowCatalog } from '../../shared/adapters/dynamodb/flows.dynamodb.ts';
import { demoFlows } from '../../shared/domain/flows/demo-flows.ts';

const updatedAt = '2026-11-01T00:00:00.000Z';

function entry(id: string, category: string, questions: string[], answers: Record<string, string>, extra: Partial<KnowledgeEntry> = {}): KnowledgeEntry {
  return { id, category, questions, answers, tags: [category], status: 'published', owner: 'agent-chen', version: 1, updatedAt, ...extra };
}

export const DEMO_KNOWLEDGE: readonly KnowledgeEntry[] = [
  entry('kb-logistics-track', 'logistics',
    ['我的包裹到哪了', '快递到哪里了', '查一下物流', '物流信息怎么查', '订单到哪了', '我的快遞到哪了', '包裹什麼時候到', 'where is my parcel', 'where is my package', 'track my order', 'shipping status of my order'],
    {
      'zh-Hans': '您可以在“我的订单 → 订单详情 → 查看物流”中查看包裹的实时位置。发货后物流信息通常在 24 小时内更新；如超过 72 小时没有更新，请回复“转人工”。',
      'zh-Hant': '您可以在「我的訂單 → 訂單詳情 → 查看物流」中查看包裹的即時位置。發貨後物流資訊通常在 24 小時內更新；如超過 72 小時沒有更新，請回覆「轉人工」。',
      en: 'Open My orders → Order details → Track shipment to see where your parcel is. Tracking updates within 24 hours of dispatch; if nothing changes for 72 hours, type "human" to reach an agent.',
    }),
  entry('kb-logistics-time', 'logistics',
    ['多久能到', '几天发货', '什么时候发货', '发货时间', '發貨時間', '幾天能到', 'how long does delivery take', 'when will my order ship', 'delivery time'],
    {
      'zh-Hans': '现货商品在付款后 48 小时内发货，江浙沪一般 1–2 天送达，其他地区 2–4 天，偏远地区 5–7 天。',
      'zh-Hant': '現貨商品在付款後 48 小時內發貨，一般 2–4 天送達，偏遠地區 5–7 天。',
      en: 'In-stock items ship within 48 hours of payment and usually arrive in 2–4 days (5–7 days for remote areas).',
    }),
  entry('kb-returns-how', 'returns',
    ['怎么退货', '我要退货', '退货流程', '七天无理由退货', '如何申请退货', '退貨流程', '我要退貨', 'how do i return an item', 'return policy', 'i want to return my order'],
    {
      'zh-Hans': '签收后 7 天内可申请无理由退货：进入“我的订单 → 申请售后 → 退货”，选择原因并提交，审核通过后按页面地址寄回即可。商品需保持完好、不影响二次销售。',
      'zh-Hant': '簽收後 7 天內可申請無理由退貨：進入「我的訂單 → 申請售後 → 退貨」，選擇原因並提交，審核通過後按頁面地址寄回即可。',
      en: 'You can return items within 7 days of delivery: go to My orders → After-sales → Return, choose a reason and submit. Once approved, ship it back to the address shown. Items must be unused and complete.',
    }),
  entry('kb-refund-time', 'refunds',
    ['退款多久到账', '退款什么时候到', '钱什么时候退回来', '退款进度', '退款進度', '退款多久到帳', 'when will i get my refund', 'refund status', 'how long does a refund take'],
    {
      'zh-Hans': '仓库确认收到退货后 1–3 个工作日内发起退款；原路退回，支付宝和微信通常即时到账，银行卡 3–7 个工作日。',
      'zh-Hant': '倉庫確認收到退貨後 1–3 個工作天內發起退款；原路退回，銀行卡約 3–7 個工作天。',
      en: 'We issue the refund within 1–3 business days after the warehouse receives your return. It goes back to the original payment method: wallets are instant, bank cards take 3–7 business days.',
    }),
  entry('kb-exchange', 'returns',
    ['可以换货吗', '尺码不合适能换吗', '换一个颜色', '換貨', '尺碼不合適', 'can i exchange an item', 'wrong size exchange'],
    {
      'zh-Hans': '签收后 15 天内支持换货（尺码、颜色）：在“我的订单 → 申请售后 → 换货”中选择新规格，我们收到原商品后发出新商品，来回运费由我们承担。',
      en: 'Exchanges (size or colour) are free within 15 days of delivery: My orders → After-sales → Exchange, pick the new option, and we ship it as soon as the original arrives.',
    }),
  entry('kb-invoice', 'invoices',
    ['怎么开发票', '开电子发票', '发票抬头', '能开专票吗', '怎麼開發票', '發票', 'how do i get an invoice', 'vat invoice', 'i need a receipt'],
    {
      'zh-Hans': '订单完成后可在“我的订单 → 申请开票”中开具电子普通发票或增值税专用发票，填写抬头和税号，1 个工作日内发送到您的邮箱。',
      'zh-Hant': '訂單完成後可在「我的訂單 → 申請開票」中開具電子發票，填寫抬頭和稅號，1 個工作天內寄到您的信箱。',
      en: 'After the order completes, request an e-invoice (or a VAT invoice) under My orders → Request invoice; it reaches your mailbox within one business day.',
    }),
  entry('kb-account-password', 'accounts',
    ['忘记密码', '怎么修改密码', '登录不了', '密码错误', '忘記密碼', '重設密碼', 'forgot password', 'reset my password', 'cannot log in'],
    {
      'zh-Hans': '在登录页点击“忘记密码”，通过绑定的手机号或邮箱接收验证码即可重设密码。若手机号已停用，请回复“转人工”验证身份。',
      'zh-Hant': '在登入頁點擊「忘記密碼」，透過綁定的手機號碼或電子郵件接收驗證碼即可重設密碼。',
      en: 'On the sign-in page choose "Forgot password" and enter the code sent to your phone or email. If you no longer have that phone number, type "human" so an agent can verify you.',
    }),
  entry('kb-account-delete', 'accounts',
    ['怎么注销账号', '删除我的账户', '註銷帳號', 'delete my account', 'close my account'],
    {
      'zh-Hans': '在“设置 → 账号与安全 → 注销账号”中提交申请，确认没有未完成的订单和退款后，7 天内完成注销并删除个人数据。',
      en: 'Go to Settings → Account & security → Delete account. Once no order or refund is open, we delete the account and your personal data within 7 days.',
    }),
  entry('kb-payment-methods', 'payments',
    ['支持哪些支付方式', '可以用支付宝吗', '能用微信支付吗', '可以信用卡付款吗', '支付方式', '付款方式有哪些', 'payment methods', 'can i pay with credit card', 'do you accept paypal'],
    {
      'zh-Hans': '支持支付宝、微信支付、银联云闪付以及 Visa / Mastercard 信用卡；部分商品支持花呗分期。',
      'zh-Hant': '支援支付寶、微信支付、銀聯以及 Visa / Mastercard 信用卡。',
      en: 'We accept Alipay, WeChat Pay, UnionPay and Visa / Mastercard credit cards.',
    }),
  entry('kb-payment-failed', 'payments',
    ['支付失败怎么办', '付款不成功', '扣款了但订单没成功', '付款失敗', 'payment failed', 'my card was declined', 'charged but no order'],
    {
      'zh-Hans': '支付失败通常是余额不足、限额或网络问题，请稍后重试或更换支付方式。若已扣款但订单未生成，款项会在 1–3 个工作日内自动退回。',
      en: 'A failed payment is usually a limit, balance or network issue: try again or use another method. If you were charged but no order was created, the money returns automatically within 1–3 business days.',
    }),
  entry('kb-address-change', 'logistics',
    ['怎么修改收货地址', '地址填错了', '改地址', '修改收貨地址', 'change my shipping address', 'wrong address'],
    {
      'zh-Hans': '订单发货前可在“订单详情 → 修改地址”中自行修改；已发货的订单请回复“转人工”，我们联系快递尝试改派。',
      en: 'Before dispatch you can change it under Order details → Change address. If it has shipped, type "human" and we will ask the courier to redirect it.',
    }),
  entry('kb-order-cancel', 'orders',
    ['怎么取消订单', '我要取消订单', '不想要了', '取消訂單', 'cancel my order', 'how to cancel an order'],
    {
      'zh-Hans': '未发货的订单可在“订单详情 → 取消订单”中直接取消，款项原路退回；已发货的订单请签收后申请退货，或拒收。',
      'zh-Hant': '未發貨的訂單可在「訂單詳情 → 取消訂單」中直接取消，款項原路退回。',
      en: 'Orders that have not shipped can be cancelled under Order details → Cancel order, with a full refund. Shipped orders can be refused or returned after delivery.',
    }),
  entry('kb-damaged', 'returns',
    ['收到的商品坏了', '商品破损', '东西摔坏了', '少发了', '商品破損', 'item arrived damaged', 'the product is broken', 'missing item'],
    {
      'zh-Hans': '非常抱歉！请在签收后 48 小时内，在“申请售后 → 破损/少件”中上传商品和外包装照片，我们会优先为您补发或全额退款。',
      en: 'We are sorry! Within 48 hours of delivery, open After-sales → Damaged / missing and upload photos of the item and box; we will resend or refund in full, first in line.',
    }),
  entry('kb-coupon', 'promotions',
    ['优惠券怎么用', '优惠码在哪里输入', '優惠券怎麼用', 'how to use a coupon', 'promo code'],
    {
      'zh-Hans': '在结算页的“优惠券”一栏选择可用的券即可自动抵扣；优惠码请在同一栏输入。每笔订单限用一张。',
      en: 'At checkout, pick an available coupon in the Coupons field, or type your promo code there. One coupon per order.',
    }),
  entry('kb-shipping-fee', 'logistics',
    ['运费多少', '包邮吗', '满多少包邮', '運費多少', 'shipping cost', 'is shipping free'],
    {
      'zh-Hans': '订单满 99 元包邮，不满 99 元收取 8 元运费；偏远地区另计。',
      en: 'Shipping is free on orders over ¥99; below that it costs ¥8 (remote areas extra).',
    }),
  entry('kb-service-hours', 'service',
    ['客服工作时间', '人工客服几点上班', '客服什么时候在', '客服時間', 'customer service hours', 'when are agents available'],
    {
      'zh-Hans': '人工客服每天 9:00–22:00（北京时间）在线；其他时间您可以留言，我们会在上班后第一时间回复。',
      en: 'Our agents are online every day 9:00–22:00 (Beijing time). Outside those hours, leave a message and we will reply first thing.',
    }),
  entry('kb-complaint', 'complaints',
    ['我要投诉', '投诉快递员', '我要给差评', '你们服务太差了我要投诉', '我要投訴', 'i want to file a complaint', 'i want to complain', 'make a complaint'],
    {
      'zh-Hans': '非常抱歉给您带来不好的体验，投诉由人工客服专门处理。',
      en: 'We are sorry about your experience; complaints are handled personally by a colleague.',
    }),
  entry('kb-warranty', 'after-sales',
    ['保修多久', '坏了能保修吗', '怎么申请维修', '保固多久', 'how long is the warranty', 'can i get it repaired', 'repair request'],
    {
      'zh-Hans': '电器类商品整机保修 1 年，主要部件 3 年。在“我的订单 → 申请售后 → 维修”提交故障描述和照片，审核后我们寄送上门取件单，维修期间运费由我们承担。',
      'zh-Hant': '電器類商品整機保固 1 年，主要部件 3 年。在「我的訂單 → 申請售後 → 維修」提交故障描述和照片，審核後我們安排到府取件，維修期間運費由我們負擔。',
      en: 'Appliances carry a 1-year warranty (3 years on main parts). Submit the fault with photos under My orders → After-sales → Repair; we then send a free pick-up, and cover shipping both ways.',
    }),
  entry('kb-coupon-stack', 'promotions',
    ['优惠券能叠加吗', '可以用两张券吗', '满减和优惠券能一起用吗', '優惠券可以疊加嗎', 'can i combine coupons', 'use two coupons'],
    {
      'zh-Hans': '每笔订单限用一张店铺优惠券，可与平台满减活动同时使用；积分抵扣另计，不影响优惠券。',
      en: 'One shop coupon per order; it combines with store-wide spend-and-save offers, and points can be used on top.',
    }),
  entry('kb-invoice-change', 'invoices',
    ['发票开错了', '发票抬头写错了怎么办', '重开发票', '發票開錯了', 'wrong invoice details', 'reissue my invoice'],
    {
      'zh-Hans': '发票信息有误可在开票后 30 天内于“我的订单 → 发票详情 → 申请换开”修改抬头或税号，新发票 1 个工作日内发到您的邮箱，原发票自动作废。',
      en: 'Within 30 days of issue, open My orders → Invoice details → Request a new invoice to correct the name or tax number; the new one arrives within one business day and the old one is voided.',
    }),
  entry('kb-promo-expired', 'promotions',
    ['双十一活动怎么参加', '雙十一活動', 'singles day sale'],
    { 'zh-Hans': '双十一活动已于 11 月 12 日结束。', en: 'The Singles Day sale ended on 12 November.' },
    { validUntil: '2026-11-12T00:00:00.000Z' }),
  entry('kb-draft-membership', 'accounts',
    ['会员等级怎么升级', 'membership levels'],
    { 'zh-Hans': '（草稿）会员体系即将上线。', en: '(draft) Membership is coming soon.' },
    { status: 'draft' }),
];

export const DEMO_AGENTS: readonly Agent[] = [
  { id: 'agent-li', name: '李娜 Li Na', email: 'li.na@demo-shop.example', skills: ['logistics', 'returns', 'refunds'], groups: ['default'], languages: ['zh-Hans', 'zh-Hant', 'en'], capacity: 4, presence: 'online' },
  { id: 'agent-wang', name: '王伟 Wang Wei', email: 'wang.wei@demo-shop.example', skills: ['payments', 'accounts', 'technical'], groups: ['default'], languages: ['zh-Hans', 'en'], capacity: 3, presence: 'online' },
  { id: 'agent-chen', name: '陈静 Chen Jing', email: 'chen.jing@demo-shop.example', skills: ['complaints', 'vip', 'refunds'], groups: ['default'], languages: ['zh-Hans', 'zh-Hant', 'en'], capacity: 2, presence: 'online' },
  { id: 'agent-sam', name: 'Sam Taylor', email: 'sam.taylor@overflow.example', skills: ['logistics'], groups: ['overflow'], languages: ['en'], capacity: 5, presence: 'away' },
  { id: 'admin', name: '管理员 Admin', email: 'admin@demo-shop.example', skills: [], groups: [], languages: ['zh-Hans', 'en'], capacity: 0, presence: 'offline' },
  { id: 'finance-zhou', name: '周敏 Zhou Min', email: 'zhou.min@demo-shop.example', skills: [], groups: [], languages: ['zh-Hans', 'en'], capacity: 0, presence: 'offline' },
];

/**
 * Routing groups: the shop's own team (always open in the demo, so that trying it works at any hour; attach the
 * "shop-hours" calendar with PUT /v1/admin/groups/default to try after-hours offline tickets) and an outsourced
 * overflow team.
 */
export const DEMO_GROUPS: readonly RoutingGroup[] = [
  { id: 'default', name: '一线客服 Frontline', overflowGroupId: 'overflow', maxWaitSeconds: 600 },
  { id: 'overflow', name: '外包客服 Outsourced overflow', outsourced: true, maxWaitSeconds: 900 },
];

/** The shop's service hours (9:00–22:00 Beijing time every day, the knowledge base's answer), with a holiday. */
export const DEMO_CALENDAR = {
  id: 'shop-hours',
  name: '门店客服时间 Shop hours',
  timeZone: 'Asia/Shanghai',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '09:00', end: '22:00' }]])),
  holidays: ['2027-02-06', '2027-02-07'],
};

/** Console roles of the seeded people (in AWS these are Cognito groups). */
export const SEED_ROLES: Readonly<Record<string, readonly Role[]>> = {
  'agent-li': ['agent'],
  'agent-wang': ['agent'],
  'agent-chen': ['agent', 'supervisor'],
  'agent-sam': ['agent'],
  admin: ['admin'],
  'finance-zhou': ['finance'],
};

export const DEMO_CUSTOMERS: readonly Customer[] = [
  { id: 'cus_demo_vip', name: '张先生', tier: 'vip', identities: [{ channel: 'webchat', value: 'zhang@example.com' }], createdAt: updatedAt },
  { id: 'cus_demo_emily', name: 'Emily Clark', tier: 'standard', identities: [{ channel: 'webchat', value: 'emily@example.com' }], createdAt: updatedAt },
];

/**
 * Seeds what is missing. Knowledge entries go in as version 1 with their audit event (actor "seed"), and only when
 * absent: what an admin changed in the demo stays changed across restarts.
 */
export async function seedDemoCompany(): Promise<void> {
  const client = dynamoDocumentClient();
  const knowledge = new DynamoDbKnowledgeRepository(client, { knowledge: tableName('knowledge'), log: tableName('knowledge-log') });
  const agents = new DynamoDbAgentDirectory(client, tableName('agents'));
  const customers = new DynamoDbCustomerDirectory(client, tableName('customers'));
  const seedEntry = async (entry: KnowledgeEntry) => {
    if (await knowledge.get(entry.id)) return;
    const seeded = { ...entry, version: 1, createdAt: entry.updatedAt, updatedBy: 'seed' };
    try {
      await knowledge.save(seeded, {
        expectedVersion: 0,
        bumpRevision: entry.status === 'published',
        audit: { at: entry.updatedAt, actor: 'seed', action: 'create', entryId: entry.id, version: 1, fields: changedFields(undefined, seeded) },
      });
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'KNOWLEDGE.ALREADY_EXISTS')) throw error;
    }
  };
  // Agents and groups only when absent: an agent's live load and presence survive a restart.
  const routing = new DynamoDbRoutingStore(client, { conversations: tableName('conversations'), agents: tableName('agents') });
  const seedAgent = async (agent: Agent) => {
    if (!(await routing.getAgent(agent.id))) await agents.put(agent);
  };
  const seedGroup = async (group: RoutingGroup) => {
    if (!(await routing.getGroup(group.id))) await routing.putGroup(group);
  };
  await Promise.all([...DEMO_AGENTS.map(seedAgent), ...DEMO_GROUPS.map(seedGroup), ...DEMO_CUSTOMERS.map((c) => customers.put(c))]);
  if (!(await routing.getCalendar(DEMO_CALENDAR.id))) await routing.putCalendar(DEMO_CALENDAR.id, DEMO_CALENDAR);
  // One at a time: every published entry moves the same revision counter.
  for (const entry of DEMO_KNOWLEDGE) await seedEntry(entry);
  const flows = new DynamoDbFlowCatalog(client, tableName('knowledge-log'));
  for (const flow of demoFlows()) if (!(await flows.get(flow.id))) await flows.put(flow, { actor: 'seed', at: updatedAt });
}
