/**
 * Knowledge base administration API: entries with versions, publish / archive, bulk import and export (CSV, JSON),
 * the audit trail, and the review of unanswered questions. Writes need the admin role; supervisors may read.
 */
import * as z from 'zod/mini';
import { makeKnowledgeAdmin } from '../../../shared/application/knowledge.use-cases.ts';
import { knowledgeCsv } from '../../../shared/adapters/csv/knowledge-csv.ts';
import { clock, ids, knowledgeRepository } from '../../../shared/adapters/wiring/storage.ts';
import { once } from '../../../shared/adapters/wiring/once.ts';
import { DomainError } from '../../../shared/domain/errors.ts';
import { LIMITS } from '../../../shared/domain/knowledge/knowledge-admin.ts';
import { httpFunction, validate, type HttpRequest } from '../../../shared/observability/handler-kit.ts';
import { flowCatalog } from '../../../shared/adapters/wiring/flows.ts';
import { parseFlowDefinition } from '../../../shared/domain/flows/flow-definition.ts';

const admin = once(() => makeKnowledgeAdmin({ repository: knowledgeRepository(), csv: knowledgeCsv, clock, ids }));

const status = z.enum(['draft', 'published', 'archived']);
const text = (max: number) => z.string().check(z.maxLength(max, `at most ${max} characters`));
const answers = z.record(z.string(), text(LIMITS.answerLength));
const entryInput = {
  questions: z.array(text(LIMITS.questionLength)).check(z.maxLength(LIMITS.questions)),
  answers,
  channelAnswers: z.optional(z.record(z.string(), answers)),
  attachments: z.optional(z.array(z.strictObject({ kind: z.enum(['link', 'image']), url: text(2000), title: z.optional(text(200)) }))),
  category: text(64),
  tags: z.optional(z.array(text(64))),
  languages: z.optional(z.array(z.enum(['zh-Hans', 'zh-Hant', 'en']))),
  validFrom: z.optional(z.string().check(z.iso.datetime({ offset: true }))),
  validUntil: z.optional(z.string().check(z.iso.datetime({ offset: true }))),
  owner: z.optional(text(128)),
};
const createSchema = z.strictObject({ id: z.optional(z.string().check(z.minLength(2), z.maxLength(64))), status: z.optional(status), ...entryInput });
const updateSchema = z.strictObject({ expectedVersion: z.optional(z.number().check(z.int(), z.minimum(1))), ...entryInput });
const statusSchema = z.strictObject({ expectedVersion: z.optional(z.number().check(z.int(), z.minimum(1))) });
const importSchema = z.strictObject({
  format: z.enum(['csv', 'json']),
  content: z.union([z.string(), z.array(z.unknown())]),
  publish: z.optional(z.boolean()),
});
const resolveSchema = z.union([
  z.strictObject({ addToEntry: z.string().check(z.minLength(1)), expectedVersion: z.optional(z.number().check(z.int(), z.minimum(1))) }),
  z.strictObject({ createEntry: z.strictObject({ id: z.optional(z.string()), status: z.optional(status), ...entryInput, questions: z.optional(entryInput.questions) }) }),
  // Not worth an answer (spam, out of scope): closed with the reason, no entry.
  z.strictObject({ dismiss: z.strictObject({ reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)) }) }),
]);
const listQuery = z.object({ status: z.optional(status), category: z.optional(z.string()), q: z.optional(z.string()) });
const exportQuery = z.object({ format: z.optional(z.enum(['csv', 'json'])), status: z.optional(status) });
const limitQuery = z.object({ limit: z.optional(z.string().check(z.regex(/^\d{1,4}$/, 'must be a number up to 9999'))), entryId: z.optional(z.string()), status: z.optional(z.enum(['open', 'resolved'])) });

function actor(request: HttpRequest): string {
  if (!request.principal.subject) throw new DomainError('AUTH.UNAUTHENTICATED', 'a console token is required');
  return request.principal.subject;
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const entryInputOf = (body: z.infer<typeof updateSchema> | z.infer<typeof createSchema>) => {
  const { questions, answers: a, channelAnswers, attachments, category, tags, languages, validFrom, validUntil, owner } = body;
  return withoutUndefined({ questions, answers: a, channelAnswers, attachments, category, tags, languages, validFrom, validUntil, owner });
};

export const handler = httpFunction(
  'knowledge-admin',
  {
    listKnowledge: async ({ query }) => ({ status: 200, body: await admin().list(withoutUndefined(validate(listQuery, query))) }),
    createKnowledge: async (request) => {
      const body = validate(createSchema, request.body);
      const entry = await admin().create(withoutUndefined({ id: body.id, status: body.status, input: entryInputOf(body) }), actor(request));
      return { status: 201, body: entry };
    },
    getKnowledge: async ({ params }) => ({ status: 200, body: await admin().get(params.entryId!) }),
    updateKnowledge: async (request) => {
      const body = validate(updateSchema, request.body);
      return { status: 200, body: await admin().update(request.params.entryId!, withoutUndefined({ expectedVersion: body.expectedVersion, input: entryInputOf(body) }), actor(request)) };
    },
    publishKnowledge: async (request) => ({ status: 200, body: await admin().setStatus(request.params.entryId!, 'published', withoutUndefined(validate(statusSchema, request.body)), actor(request)) }),
    archiveKnowledge: async (request) => ({ status: 200, body: await admin().setStatus(request.params.entryId!, 'archived', withoutUndefined(validate(statusSchema, request.body)), actor(request)) }),
    unpublishKnowledge: async (request) => ({ status: 200, body: await admin().setStatus(request.params.entryId!, 'draft', withoutUndefined(validate(statusSchema, request.body)), actor(request)) }),
    importKnowledge: async (request) => {
      const body = validate(importSchema, request.body);
      return { status: 200, body: await admin().importEntries(withoutUndefined({ format: body.format, content: body.content, publish: body.publish }), actor(request)) };
    },
    exportKnowledge: async ({ query }) => {
      const q = validate(exportQuery, query);
      const format = q.format ?? 'json';
      const file = await admin().exportEntries(withoutUndefined({ format, status: q.status }));
      return { status: 200, raw: file, headers: { 'content-disposition': `attachment; filename="knowledge.${format}"` } };
    },
    knowledgeAudit: async ({ query }) => {
      const q = validate(limitQuery, query);
      return { status: 200, body: { events: await admin().audit(withoutUndefined({ entryId: q.entryId, limit: q.limit ? Math.min(500, Number(q.limit)) : undefined })) } };
    },
    listFlows: async () => ({ status: 200, body: { flows: await flowCatalog().items() } }),
    getFlow: async ({ params }) => {
      const flow = await flowCatalog().get(params.flowId!);
      if (!flow) throw new DomainError('FLOW.NOT_FOUND', `flow ${params.flowId} does not exist`);
      return { status: 200, body: flow };
    },
    // The definition is checked as a whole (schema, step targets, slots, connectors) before anything is stored.
    putFlow: async (request) => {
      const flow = parseFlowDefinition(request.body);
      if (flow.id !== request.params.flowId) throw new DomainError('REQUEST.VALIDATION_FAILED', `id: the definition's id "${flow.id}" is not the flow in the path`);
      await flowCatalog().put(flow, { actor: actor(request), at: clock.now().toISOString() });
      return { status: 200, body: await flowCatalog().get(flow.id) };
    },
    deleteFlow: async (request) => {
      actor(request);
      if (!(await flowCatalog().delete(request.params.flowId!))) throw new DomainError('FLOW.NOT_FOUND', `flow ${request.params.flowId} does not exist`);
      return { status: 204 };
    },
    listUnanswered: async ({ query }) => {
      const q = validate(limitQuery, query);
      return { status: 200, body: await admin().unanswered(withoutUndefined({ status: q.status, limit: q.limit ? Math.min(1000, Number(q.limit)) : undefined })) };
    },
    resolveUnanswered: async (request) => {
      const body = validate(resolveSchema, request.body);
      const resolution =
        'dismiss' in body
          ? { dismiss: body.dismiss }
          : 'addToEntry' in body
          ? withoutUndefined({ addToEntry: body.addToEntry, expectedVersion: body.expectedVersion })
          : { createEntry: withoutUndefined({ id: body.createEntry.id, status: body.createEntry.status, input: entryInputOf({ ...body.createEntry, questions: body.createEntry.questions ?? [] }) }) };
      return { status: 200, body: await admin().resolveUnanswered(request.params.key!, resolution, actor(request)) };
    },
  },
  { maxBodyBytes: 5 * 1024 * 1024 },
);
