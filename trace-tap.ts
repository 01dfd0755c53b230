import postgres from 'postgres';
import { setupOrg } from './bench/drills.js';
import { startTestApp } from './test/support/app.js';
import { maintenanceUrl } from './test/support/env.js';
const t = await startTestApp();
const admin = postgres(maintenanceUrl(), { max: 1, onnotice: () => {} });
const org = await setupOrg(t, 1, 3);
const all = org.casesByApprover.flat();
// warm one tap
for (const [i, caseId] of all.entries()) {
  if (i === 1) { await admin.unsafe(`alter system set log_statement = 'all'`); await admin.unsafe(`alter system set log_line_prefix = '%m [%p] %a|%d '`); await admin`select pg_reload_conf()`; await new Promise((r) => setTimeout(r, 300)); console.log('MARK', new Date().toISOString()); }
  const u = t.fake.tapButton(org.approverTg[0]!, org.requestOf.get(caseId)!, `cs:ok:${caseId}:2`);
  await t.fake.waitForCallbackAnswer(u.callback_query.id, 30_000);
  await new Promise((r) => setTimeout(r, 1500));
  if (i === 1) { await admin.unsafe(`alter system reset log_statement`); await admin.unsafe(`alter system reset log_line_prefix`); await admin`select pg_reload_conf()`; console.log('END', new Date().toISOString(), t.db.name); }
}
await admin.end(); await t.stop(); process.exit(0);
