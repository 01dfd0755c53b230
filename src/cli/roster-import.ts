// `npm run roster:import -- FILE.csv [--dry-run]`: validate a roster CSV and apply it all or nothing.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { importRoster } from '../app/import-roster.js';
import { ConfigError, loadDatabaseEnv } from '../config.js';
import { createDatabase } from '../db/client.js';
import { EmbeddedDatabaseBusy } from '../db/embedded-lock.js';
import { migrateDatabase } from '../db/migrate.js';
import { formatProblems, parseRoster } from '../domain/roster.js';
import { rosterSummaryText } from '../chat/texts/common.js';

const USAGE = 'Pemakaian: npm run roster:import -- BERKAS.csv [--dry-run]';

export async function runRosterImportCli(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const dryRun = argv.includes('--dry-run');
  const files = argv.filter((a) => !a.startsWith('--'));
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--dry-run');
  if (files.length !== 1 || unknown.length > 0) {
    out(USAGE);
    return 2;
  }
  const file = files[0]!;
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch {
    out(`Berkas tidak dapat dibaca: ${file}`);
    return 2;
  }
  const parsed = parseRoster(content);
  if (!parsed.ok) {
    out(`Impor dibatalkan: ${parsed.problems.length} masalah ditemukan, tidak ada data yang diubah.`);
    out(formatProblems(parsed.problems, 1000));
    return 1;
  }
  const { databaseUrl, dataDir } = loadDatabaseEnv();
  let database;
  try {
    database = await createDatabase({ databaseUrl, dataDir, maxConnections: 2 });
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseBusy)) throw error;
    out(
      `Impor dibatalkan, tidak ada data yang diubah: basis data bawaan (${error.directory}) sedang dipakai proses lain ` +
        `(pid ${error.holderPid}, biasanya bot yang sedang berjalan). Hentikan bot terlebih dahulu lalu ulangi impor, ` +
        'atau atur DATABASE_URL ke PostgreSQL agar bot dan impor dapat berjalan bersamaan (atau kirim berkas CSV ke bot sebagai admin BKPP).',
    );
    return 1;
  }
  try {
    await migrateDatabase(database, databaseUrl);
    const summary = await importRoster(database.db, parsed.rows, parsed.units, {
      dryRun,
      actorLabel: `cli:roster-import:${basename(file)}`,
    });
    out(rosterSummaryText(summary, basename(file)));
    return 0;
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runRosterImportCli(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exitCode = 1;
    });
}
