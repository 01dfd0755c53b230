// The layer rule (see README "Layout"): an import never runs back up. Checked by `npm run lint:layers`, in CI.
//   domain  pure rules, imports nothing of ours
//   db      schema, client and migrations, over domain
//   app     use cases and repositories, over domain and db; the only layer that queries
//   chat    everything the bot says and how it reaches Telegram, over app and domain
//   bot, jobs, webapp   adapters (telegraf, BullMQ, HTTP) over chat, app and domain; never each other
//   cli     anything but the bot's insides
const layer = (name) => `^src/${name}/`;
const ADAPTERS = '^(src/(bot|webapp|cli)|jobs)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'Domain rules import only other domain modules (and libraries).',
      severity: 'error',
      from: { path: layer('domain') },
      to: { path: '^(src/(app|chat|db|bot|webapp|cli)|jobs)/' },
    },
    {
      name: 'db-below-app',
      severity: 'error',
      from: { path: layer('db') },
      to: { path: '^(src/(app|chat|bot|webapp|cli)|jobs)/' },
    },
    {
      name: 'app-below-chat-and-adapters',
      comment: 'Use cases do not know how the bot talks or which adapter called them.',
      severity: 'error',
      from: { path: layer('app') },
      to: { path: `^src/chat/|${ADAPTERS}` },
    },
    {
      name: 'chat-below-adapters',
      comment: 'Texts, the notifier and the outgoing path serve bot, jobs and the Mini App alike.',
      severity: 'error',
      from: { path: layer('chat') },
      to: { path: ADAPTERS },
    },
    {
      name: 'adapters-and-chat-no-db',
      comment:
        'Queries live in app (repositories and use cases); the bot, the job processors, the Mini App and the chat ' +
        'layer call them (the Db type and createDatabase through src/app/database.ts). Type-only imports count too.',
      severity: 'error',
      from: { path: '^(src/(bot|webapp|chat)|jobs)/' },
      to: { path: '^src/db/' },
    },
    {
      name: 'bot-not-jobs',
      comment: 'The bot reaches the job system through the JobControl port (src/app/job-control.ts).',
      severity: 'error',
      from: { path: layer('bot') },
      to: { path: '^(jobs|src/(webapp|cli))/' },
    },
    {
      name: 'jobs-not-bot',
      comment: 'Workers call app and chat, never the telegraf wiring.',
      severity: 'error',
      from: { path: '^jobs/' },
      to: { path: '^src/(bot|webapp|cli)/' },
    },
    {
      name: 'webapp-not-bot-or-jobs',
      severity: 'error',
      from: { path: layer('webapp') },
      to: { path: '^(jobs|src/(bot|cli))/' },
    },
    {
      name: 'cli-not-bot',
      severity: 'error',
      from: { path: layer('cli') },
      to: { path: layer('bot') },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs'] },
  },
};
