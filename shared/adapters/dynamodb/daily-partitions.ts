/**
 * Daily rows kept in one partition per month (`<prefix><YYYY-MM>`, sort key `<YYYY-MM-DD>#…`): the analytics counters
 * and the cost ledger's aggregates. A period is one paginated Query per month it touches.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number) as [number, number];
  for (let month = `${y}-${String(m).padStart(2, '0')}`; month <= to.slice(0, 7); month = `${y}-${String(m).padStart(2, '0')}`) {
    months.push(month);
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return months;
}

/** Every item of the days from `from` to `to` (inclusive) in the monthly partitions named `<prefix><month>`. */
export async function dailyItems(client: DynamoDBDocumentClient, table: string, prefix: string, from: string, to: string): Promise<Record<string, unknown>[]> {
  const pages = await Promise.all(
    monthsBetween(from, to).map(async (month) => {
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': `${prefix}${month}`, ':from': `${from}#`, ':to': `${to}#~` },
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items;
    }),
  );
  return pages.flat();
}
