import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ConfigError, loadConfig, parseDeployment, parseEnv } from '../../src/config.js';
import { createCalendar } from '../../src/domain/calendar.js';
import { exampleDeployment } from '../support/app.js';

const TOKEN = '123456:ABCDEFghijk';

describe('environment', () => {
  it('accepts a minimal environment with defaults', () => {
    const { env, problems } = parseEnv({ TELEGRAM_BOT_TOKEN: TOKEN });
    expect(problems).toEqual([]);
    expect(env).toMatchObject({ BOT_MODE: 'polling', LOG_LEVEL: 'info', CONFIG_FILE: 'examples/config.yaml', DATA_DIR: 'data' });
    expect(env!.DATABASE_URL).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    const { env } = parseEnv({ TELEGRAM_BOT_TOKEN: TOKEN, DATABASE_URL: '', REDIS_URL: ' ', PORT: '' });
    expect(env!.DATABASE_URL).toBeUndefined();
    expect(env!.REDIS_URL).toBeUndefined();
    expect(env!.PORT).toBeUndefined();
  });

  it('lists every bad variable at once, with what it expects', () => {
    const { problems } = parseEnv({
      TELEGRAM_BOT_TOKEN: 'nope',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'http://x',
      BOT_MODE: 'webhooks',
      PORT: '99999',
      LOG_LEVEL: 'loud',
    });
    const vars = problems.map((p) => p.split(':')[0]);
    expect(vars).toEqual(expect.arrayContaining(['TELEGRAM_BOT_TOKEN', 'DATABASE_URL', 'REDIS_URL', 'BOT_MODE', 'PORT', 'LOG_LEVEL']));
    expect(problems.join('\n')).toMatch(/polling" or "webhook/);
  });

  it('reads ROLES (default bot,jobs) and REDIS_CLUSTER_NODES', () => {
    expect(parseEnv({ TELEGRAM_BOT_TOKEN: TOKEN }).env!.ROLES).toEqual({ bot: true, jobs: true });
    expect(parseEnv({ TELEGRAM_BOT_TOKEN: TOKEN, ROLES: 'jobs' }).env!.ROLES).toEqual({ bot: false, jobs: true });
    expect(parseEnv({ TELEGRAM_BOT_TOKEN: TOKEN, ROLES: ' bot ' }).env!.ROLES).toEqual({ bot: true, jobs: false });
    const cluster = parseEnv({ TELEGRAM_BOT_TOKEN: TOKEN, REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b:7001' }).env!;
    expect(cluster.REDIS_CLUSTER_NODES).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b', port: 7001 },
    ]);
    const { problems } = parseEnv({ TELEGRAM_BOT_TOKEN: TOKEN, ROLES: 'bot,worker', REDIS_CLUSTER_NODES: 'redis-a' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['REDIS_CLUSTER_NODES', 'ROLES']);
  });

  it('requires the webhook settings in webhook mode', () => {
    const { problems } = parseEnv({ TELEGRAM_BOT_TOKEN: TOKEN, BOT_MODE: 'webhook' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['PORT', 'WEBHOOK_SECRET', 'WEBHOOK_URL']);
    const bad = parseEnv({ TELEGRAM_BOT_TOKEN: TOKEN, BOT_MODE: 'webhook', WEBHOOK_URL: 'https://x.example/tg', WEBHOOK_SECRET: 'has space', PORT: '8443' });
    expect(bad.problems).toEqual([expect.stringMatching(/^WEBHOOK_SECRET: expected 1-256 characters/)]);
  });
});

describe('deployment config', () => {
  it('accepts the shipped example with the 2026 holidays', () => {
    const { deployment, calendar, problems } = parseDeployment(exampleDeployment());
    expect(problems).toEqual([]);
    expect(deployment!.instansi.timeZone).toBe('Asia/Jakarta');
    expect(calendar!.holidays).toHaveLength(17);
    expect(calendar!.cutiBersama).toHaveLength(8);
    expect(calendar!.workingHours.friday).toEqual(['07:30-16:30']);
    expect(calendar!.workingHours.saturday).toEqual([]);
    expect(deployment!.procedures.sla['skp-banyuwangi']!['4']).toBe(450);
    // The fixed-date national holidays hold in years the list does not cover yet (2027 here).
    expect(createCalendar(calendar!).holidayName('2027-01-01')).toBe('Tahun Baru Masehi');
    expect(createCalendar(parseDeployment({ ...exampleDeployment(), calendar: { fixedHolidays: [] } }).calendar!).isWorkingDay('2027-01-01')).toBe(true);
  });

  it('rejects unknown keys, bad zones, bad hours and bad dates, all reported', () => {
    const raw = exampleDeployment();
    const { problems } = parseDeployment({
      ...raw,
      instansi: { name: '', timeZone: 'Asia/Singapore' },
      calendar: { workingHours: { monday: '7:30-16:00', funday: [] }, holidays: [{ date: '2026-13', name: 'x' }] },
      extra: 1,
    });
    const text = problems.join('\n');
    expect(text).toMatch(/instansi\.name/);
    expect(text).toMatch(/instansi\.timeZone: expected Asia\/Jakarta \(WIB\)/);
    expect(text).toMatch(/calendar\.workingHours\.monday/);
    expect(text).toMatch(/funday/);
    expect(text).toMatch(/holidays\.0\.date/);
    expect(text).toMatch(/extra/);
  });

  it('loadConfig throws one ConfigError naming env and file problems together', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'instansi:\n  name: X\n  timeZone: Europe/Paris\n');
    try {
      loadConfig({ CONFIG_FILE: file, LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toMatch(/TELEGRAM_BOT_TOKEN: required/);
      expect(message).toMatch(/LOG_LEVEL/);
      expect(message).toMatch(/CONFIG_FILE: instansi\.timeZone/);
    }
  });

  it('loadConfig reads JSON too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ instansi: { name: 'Kab. Balangan', timeZone: 'Asia/Makassar' } }));
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, CONFIG_FILE: file });
    expect(config.calendar.timeZone).toBe('Asia/Makassar');
    // A new deployment gets the regulation's chain: the pejabat penilai establishes the SKP.
    expect(config.deployment.procedures.skpAnnual).toBe('skp-permenpan');
    expect(config.deployment.procedures.annualEvaluation).toBe('evaluasi-tahunan');
    expect(config.deployment.annual.evaluationDeadline).toBe('01-31');
  });
});

describe('procedure choice per agency', () => {
  it('refuses seed SOPs of several regions unless mixAgencies says so, and templates used for the wrong purpose', () => {
    const base = { instansi: { name: 'Kota Tangerang', timeZone: 'Asia/Jakarta' } };
    const own = parseDeployment({ ...base, procedures: { skpAnnual: 'skp-tangerang', monthly: 'bulanan-tangerang', annualEvaluation: 'evaluasi-tahunan' } }, 'x');
    expect(own.problems).toEqual([]);
    const mixed = parseDeployment({ ...base, procedures: { skpAnnual: 'skp-banyuwangi', monthly: 'bulanan-tangerang' } }, 'x');
    expect(mixed.problems.join('\n')).toMatch(/several agencies.*Kabupaten Banyuwangi.*Kota Tangerang/);
    const deliberate = parseDeployment({ ...base, procedures: { skpAnnual: 'skp-banyuwangi', monthly: 'bulanan-tangerang', mixAgencies: true } }, 'x');
    expect(deliberate.problems).toEqual([]);
    const wrong = parseDeployment({ ...base, procedures: { annualEvaluation: 'bulanan-tangerang' } }, 'x');
    expect(wrong.problems.join('\n')).toMatch(/procedures.annualEvaluation: procedure "bulanan-tangerang" does not run annualEvaluation/);
  });
});

describe('periods of the periodic evaluation', () => {
  it('default to months, take a period per perangkat daerah, and refuse an unknown one', async () => {
    const { createProcedureRegistry } = await import('../../src/app/procedures.js');
    const plain = parseDeployment(exampleDeployment());
    expect(plain.deployment!.procedures.periodic).toEqual({ period: 'bulanan' });
    const parsed = parseDeployment({
      ...exampleDeployment(),
      procedures: { periodic: { period: 'triwulanan' }, perUnit: { 'Dinas Pendidikan': { periodic: { period: 'semesteran' } } } },
    });
    expect(parsed.problems).toEqual([]);
    const registry = createProcedureRegistry(parsed.deployment!.procedures);
    expect(registry.periodOf('Dinas Kesehatan')).toBe('triwulanan');
    expect(registry.periodOf('Dinas Pendidikan')).toBe('semesteran');
    expect(registry.periodOf(null)).toBe('triwulanan');
    expect(registry.periodKinds().sort()).toEqual(['semesteran', 'triwulanan']);
    const bad = parseDeployment({ ...exampleDeployment(), procedures: { periodic: { period: 'kuartal' }, perUnit: { Inspektorat: { periodic: { period: 'tahunan' } } } } });
    const text = bad.problems.join('\n');
    expect(text).toMatch(/procedures\.periodic\.period.*expected "bulanan", "triwulanan", "semesteran"/);
    expect(text).toMatch(/procedures\.perUnit\.Inspektorat\.periodic\.period.*expected "bulanan", "triwulanan", "semesteran"/);
  });
});

describe('angka kredit and keberatan settings', () => {
  it('reads the example koefisien and turns keberatan.decisionSla into the decision step SLA', async () => {
    const { createProcedureRegistry } = await import('../../src/app/procedures.js');
    const parsed = parseDeployment({ ...exampleDeployment(), keberatan: { decisionSla: '2d' } });
    expect(parsed.problems).toEqual([]);
    expect(parsed.deployment!.angkaKredit.koefisien).toEqual({ 'Ahli Pertama': 12.5, 'Ahli Muda': 25 });
    const registry = createProcedureRegistry(parsed.deployment!.procedures);
    expect(registry.get('keberatan').steps.find((s) => s.no === 4)!.sla.minutes).toBe(900);
    // An explicit procedures.sla entry for the step wins.
    const explicit = parseDeployment({ ...exampleDeployment(), procedures: { sla: { keberatan: { '4': '1d' } } } });
    expect(createProcedureRegistry(explicit.deployment!.procedures).get('keberatan').steps.find((s) => s.no === 4)!.sla.minutes).toBe(450);
  });

  it('refuses a koefisien that is not a positive number', () => {
    const { problems } = parseDeployment({ ...exampleDeployment(), angkaKredit: { koefisien: { 'Ahli Madya': -1 } } });
    expect(problems.join('\n')).toMatch(/angkaKredit\.koefisien\.Ahli Madya: expected a positive koefisien/);
  });
});
