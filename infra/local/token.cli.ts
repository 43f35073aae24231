/**
 * `npm run token -- [agentId] [--role agent|supervisor|admin]`: prints a console token for a seeded agent, signed by
 * the local issuer of the running `npm start` (its keys live in the data folder).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalIssuer } from './local-issuer.ts';
import { DEMO_AGENTS, SEED_ROLES } from './seed.ts';
import { ROLES, type Role } from '../../shared/manifest/manifest.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { role: { type: 'string', multiple: true } } });
const agentId = positionals[0] ?? 'agent-li';
const dataDir = resolve(process.env.KEFU_DATA_DIR ?? '.kefu');
const runtimeFile = join(dataDir, 'runtime.json');
if (!existsSync(runtimeFile)) {
  console.error('no local runtime found: start it first with `npm start`');
  process.exit(2);
}
const agent = DEMO_AGENTS.find((a) => a.id === agentId);
if (!agent) {
  console.error(`unknown agent ${agentId}; seeded agents: ${DEMO_AGENTS.map((a) => a.id).join(', ')}`);
  process.exit(2);
}
const roles = (values.role ?? SEED_ROLES[agentId] ?? ['agent']) as Role[];
const bad = roles.find((r) => !ROLES.includes(r));
if (bad) {
  console.error(`unknown role ${bad}; roles: ${ROLES.join(', ')}`);
  process.exit(2);
}
const { issuer } = JSON.parse(readFileSync(runtimeFile, 'utf8')) as { issuer: string };
const local = await createLocalIssuer({ issuer, keyFile: join(dataDir, 'issuer-keys.json') });
console.log(await local.issue({ sub: agent.id, groups: roles, email: agent.email, name: agent.name }));
