/**
 * The demo shop's own order system, for the local runtime and the tests: a loopback HTTP server that the flows' HTTP
 * connector ("shop") calls. Seeded with orders in every logistics state, dated relative to its start so that the
 * 7-day return window always reads the same way.
 *
 *   GET  /orders/{orderNumber}   200 order | 404
 *   POST /returns                {orderNumber, item, reason} → 201 {returnId, ...}; the same orderNumber + item again → 200, same returnId
 *   GET  /returns?orderNumber=   200 {returns: [...]}
 *
 * Run alone: `npx tsx infra/local/demo-order-service.ts` (PORT, default 4100; DEMO_ORDER_TOKEN to require a bearer token).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

type Text = { zh: string; en: string };
type Status = 'pending' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'cancelled';

interface Item {
  readonly sku: string;
  readonly name: Text;
  readonly quantity: number;
  readonly price: number;
}

interface SeedOrder {
  readonly orderNumber: string;
  readonly status: Status;
  readonly placedDaysAgo: number;
  readonly items: readonly Item[];
  readonly shipment?: { carrier: Text; trackingNumber: string; lastScan?: { hoursAgo: number; location: Text; description: Text }; courier?: Text };
  readonly deliveredDaysAgo?: number;
  readonly cancelledDaysAgo?: number;
}

export interface ReturnRecord {
  readonly returnId: string;
  readonly orderNumber: string;
  readonly item: string;
  readonly reason: string;
  readonly createdAt: string;
}

export interface DemoOrderServiceOptions {
  /** Default 0 (a free port). */
  readonly port?: number;
  /** Default 127.0.0.1: the service never listens beyond the loopback interface. */
  readonly host?: string;
  /** When set, requests need `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** The service's "now" (orders are dated relative to it). */
  readonly now?: () => Date;
}

export interface DemoOrderService {
  readonly url: string;
  close(): Promise<void>;
  /** Requests served so far, oldest first (for tests). */
  requests(): readonly { method: string; path: string; status: number }[];
}

export const RETURN_WINDOW_DAYS = 7;
const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

const statusLabels: Record<Status, Text> = {
  pending: { zh: '待发货', en: 'waiting to be shipped' },
  in_transit: { zh: '已发货，运输中', en: 'shipped and in transit' },
  out_for_delivery: { zh: '派送中', en: 'out for delivery' },
  delivered: { zh: '已签收', en: 'delivered' },
  cancelled: { zh: '已取消', en: 'cancelled' },
};

const sf: Text = { zh: '顺丰速运', en: 'SF Express' };
const zto: Text = { zh: '中通快递', en: 'ZTO Express' };
const jd: Text = { zh: '京东物流', en: 'JD Logistics' };

const items = {
  tshirt: { sku: 'TS-WHT-M', name: { zh: '纯棉T恤 白色 M码', en: 'Cotton T-shirt, white, M' }, quantity: 1, price: 89 },
  earbuds: { sku: 'EB-PRO-BLK', name: { zh: '无线蓝牙耳机 Pro', en: 'Wireless Earbuds Pro' }, quantity: 1, price: 399 },
  case: { sku: 'PC-CLR-15', name: { zh: '透明手机壳', en: 'Clear phone case' }, quantity: 2, price: 39 },
  jacket: { sku: 'JK-NVY-L', name: { zh: '防风夹克 藏青 L码', en: 'Windbreaker jacket, navy, L' }, quantity: 1, price: 459 },
  sneakers: { sku: 'SN-WHT-42', name: { zh: '休闲运动鞋 白色 42码', en: 'Casual sneakers, white, EU 42' }, quantity: 1, price: 329 },
  mug: { sku: 'MG-CER-350', name: { zh: '陶瓷马克杯 350ml', en: 'Ceramic mug, 350 ml' }, quantity: 2, price: 49 },
  lamp: { sku: 'LP-DSK-LED', name: { zh: 'LED 护眼台灯', en: 'LED desk lamp' }, quantity: 1, price: 199 },
} satisfies Record<string, Item>;

/** The seeded orders: one per state, two delivered inside the return window, one outside it, one cancelled. */
export const DEMO_ORDERS: readonly SeedOrder[] = [
  { orderNumber: 'KF20240001', status: 'pending', placedDaysAgo: 1, items: [items.tshirt] },
  {
    orderNumber: 'KF20240002',
    status: 'in_transit',
    placedDaysAgo: 2,
    items: [items.jacket],
    shipment: { carrier: sf, trackingNumber: 'SF1402233887765', lastScan: { hoursAgo: 5, location: { zh: '上海转运中心', en: 'Shanghai hub' }, description: { zh: '快件已到达上海转运中心', en: 'arrived at the Shanghai hub' } } },
  },
  {
    orderNumber: 'KF20240003',
    status: 'out_for_delivery',
    placedDaysAgo: 3,
    items: [items.mug],
    shipment: {
      carrier: zto,
      trackingNumber: '75318842690211',
      courier: { zh: '快递员王师傅 138****6621', en: 'courier Mr Wang, 138****6621' },
      lastScan: { hoursAgo: 2, location: { zh: '杭州西湖营业部', en: 'Hangzhou Xihu branch' }, description: { zh: '快件正在派送中', en: 'out for delivery' } },
    },
  },
  {
    orderNumber: 'KF20240004',
    status: 'delivered',
    placedDaysAgo: 6,
    deliveredDaysAgo: 2,
    items: [items.earbuds, items.case],
    shipment: { carrier: sf, trackingNumber: 'SF1402233881234', lastScan: { hoursAgo: 48, location: { zh: '北京朝阳区', en: 'Chaoyang, Beijing' }, description: { zh: '已签收，签收人：本人', en: 'delivered, signed by the recipient' } } },
  },
  {
    orderNumber: 'KF20240005',
    status: 'delivered',
    placedDaysAgo: 25,
    deliveredDaysAgo: 20,
    items: [items.sneakers],
    shipment: { carrier: jd, trackingNumber: 'JD0088231775620', lastScan: { hoursAgo: 480, location: { zh: '广州天河区', en: 'Tianhe, Guangzhou' }, description: { zh: '已签收，签收人：快递柜', en: 'delivered to a parcel locker' } } },
  },
  { orderNumber: 'KF20240006', status: 'cancelled', placedDaysAgo: 4, cancelledDaysAgo: 4, items: [items.lamp] },
  {
    orderNumber: 'KF20240007',
    status: 'in_transit',
    placedDaysAgo: 1,
    items: [items.lamp, items.mug],
    shipment: { carrier: jd, trackingNumber: 'JD0088231779901', lastScan: { hoursAgo: 9, location: { zh: '武汉分拣中心', en: 'Wuhan sorting centre' }, description: { zh: '快件已从武汉分拣中心发出', en: 'left the Wuhan sorting centre' } } },
  },
  {
    orderNumber: 'KF20240008',
    status: 'delivered',
    placedDaysAgo: 8,
    deliveredDaysAgo: 5,
    items: [items.tshirt, items.jacket, items.sneakers],
    shipment: { carrier: zto, trackingNumber: '75318842691188', lastScan: { hoursAgo: 120, location: { zh: '深圳南山区', en: 'Nanshan, Shenzhen' }, description: { zh: '已签收，签收人：前台', en: 'delivered, signed by reception' } } },
  },
  {
    orderNumber: 'KF20240012',
    status: 'in_transit',
    placedDaysAgo: 2,
    items: [items.earbuds],
    shipment: { carrier: sf, trackingNumber: 'SF1402233890012', lastScan: { hoursAgo: 3, location: { zh: '南京转运中心', en: 'Nanjing hub' }, description: { zh: '快件已从南京转运中心发出，正在发往下一站', en: 'left the Nanjing hub for the next stop' } } },
  },
];

/** "2024-05-01 14:30" in China time (UTC+8), how the shop shows dates. */
function chinaTime(ms: number): string {
  return new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
}

function orderView(order: SeedOrder, now: number) {
  const deliveredAt = order.deliveredDaysAgo !== undefined ? now - order.deliveredDaysAgo * DAY : undefined;
  const deadline = deliveredAt !== undefined ? deliveredAt + RETURN_WINDOW_DAYS * DAY : undefined;
  const returnEligibility =
    order.status === 'cancelled'
      ? { eligible: false, reason: 'cancelled' }
      : deliveredAt === undefined
        ? { eligible: false, reason: 'not_delivered' }
        : now <= deadline!
          ? { eligible: true, reason: 'within_window', deadline: chinaTime(deadline!) }
          : { eligible: false, reason: 'outside_window', deadline: chinaTime(deadline!) };
  const s = order.shipment;
  return {
    orderNumber: order.orderNumber,
    status: order.status,
    statusLabel: statusLabels[order.status],
    placedAt: chinaTime(now - order.placedDaysAgo * DAY),
    items: order.items,
    total: order.items.reduce((sum, i) => sum + i.price * i.quantity, 0),
    currency: 'CNY',
    ...(s
      ? {
          shipment: {
            carrier: s.carrier,
            trackingNumber: s.trackingNumber,
            ...(s.courier ? { courier: s.courier } : {}),
            ...(s.lastScan ? { lastScan: { at: chinaTime(now - s.lastScan.hoursAgo * HOUR), location: s.lastScan.location, description: s.lastScan.description } } : {}),
          },
        }
      : {}),
    ...(order.status === 'pending' ? { estimatedShipDate: chinaTime(now + DAY).slice(0, 10) } : {}),
    ...(deliveredAt !== undefined ? { deliveredAt: chinaTime(deliveredAt) } : {}),
    ...(order.cancelledDaysAgo !== undefined ? { cancelledAt: chinaTime(now - order.cancelledDaysAgo * DAY), refund: { zh: '已原路退款', en: 'refunded to the original payment method' } } : {}),
    returnEligibility: { ...returnEligibility, windowDays: RETURN_WINDOW_DAYS },
  };
}

/** How GET /orders/{orderNumber} answers at `now` (undefined: 404). */
export function demoOrderView(orderNumber: string, now: Date): ReturnType<typeof orderView> | undefined {
  const order = DEMO_ORDERS.find((o) => o.orderNumber === orderNumber.toUpperCase());
  return order ? orderView(order, now.getTime()) : undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  return raw.trim() === '' ? {} : (JSON.parse(raw) as unknown);
}

/** Starts the demo order service on loopback. */
export async function startDemoOrderService(options: DemoOrderServiceOptions = {}): Promise<DemoOrderService> {
  const now = options.now ?? (() => new Date());
  const byNumber = new Map(DEMO_ORDERS.map((o) => [o.orderNumber, o]));
  const returns = new Map<string, ReturnRecord>();
  const log: { method: string; path: string; status: number }[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown) => {
      log.push({ method: req.method ?? 'GET', path: url.pathname, status });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) return send(401, { error: 'unauthorized' });

    const orderPath = /^\/orders\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && orderPath) {
      const order = byNumber.get(decodeURIComponent(orderPath[1]!).toUpperCase());
      return order ? send(200, orderView(order, now().getTime())) : send(404, { error: 'order_not_found' });
    }
    if (url.pathname === '/returns' && req.method === 'GET') {
      const orderNumber = url.searchParams.get('orderNumber');
      return send(200, { returns: [...returns.values()].filter((r) => !orderNumber || r.orderNumber === orderNumber) });
    }
    if (url.pathname === '/returns' && req.method === 'POST') {
      let body: unknown;
      try {
        body = await readJson(req);
      } catch {
        return send(400, { error: 'invalid_json' });
      }
      const { orderNumber, item, reason } = (body ?? {}) as Record<string, unknown>;
      if (typeof orderNumber !== 'string' || typeof item !== 'string' || typeof reason !== 'string' || !item || !reason) {
        return send(400, { error: 'orderNumber, item and reason are required strings' });
      }
      const order = byNumber.get(orderNumber.toUpperCase());
      if (!order) return send(404, { error: 'order_not_found' });
      if (!order.items.some((i) => i.sku === item)) return send(422, { error: 'item_not_in_order' });
      const view = orderView(order, now().getTime());
      if (!view.returnEligibility.eligible) return send(409, { error: 'not_returnable', reason: view.returnEligibility.reason });
      const key = `${order.orderNumber}#${item}`;
      const existing = returns.get(key);
      const record = existing ?? { returnId: `RT${String(240001 + returns.size)}`, orderNumber: order.orderNumber, item, reason, createdAt: now().toISOString() };
      returns.set(key, record);
      return send(existing ? 200 : 201, {
        ...record,
        status: 'requested',
        refundAmount: order.items.find((i) => i.sku === item)!.price,
        returnAddress: { zh: '上海市青浦区华新镇 Kefu 演示仓 退货组（收件人：退货组 021-5555 0100）', en: 'Kefu demo warehouse, returns desk, Huaxin, Qingpu, Shanghai (021-5555 0100)' },
        shipBy: chinaTime(now().getTime() + RETURN_WINDOW_DAYS * DAY).slice(0, 10),
      });
    }
    return send(404, { error: 'route_not_found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests: () => [...log],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const service = await startDemoOrderService({ port: Number(process.env.PORT ?? 4100), ...(process.env.DEMO_ORDER_TOKEN ? { token: process.env.DEMO_ORDER_TOKEN } : {}) });
  console.log(`demo order service on ${service.url} (orders ${DEMO_ORDERS.map((o) => o.orderNumber).join(', ')})`);
}
