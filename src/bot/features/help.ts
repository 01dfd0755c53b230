// /bantuan, /profil and the replies to anything no feature handled.
import { Composer } from 'telegraf';
import { employeeOf, rolesOf, type BotContext, type BotDeps } from '../context.js';
import { replyNotLinked } from '../access.js';
import { helpText, profileText, texts } from '../../chat/texts/common.js';
import { openTasksOf } from '../../app/tasks.js';
import { classifyFreeText, suggestCommand, topicOf, wordsOf, type TopicPointer } from '../free-text.js';
import { pengelolaNamesOf, type EmployeeProfile } from '../../app/repositories/employees.js';
import { perangkatDaerahName } from '../../app/skp.js';
import { scheduleOf, scheduleProgressOf } from '../../app/schedule.js';
import { scheduleText } from '../../chat/texts/schedule.js';
import { statusTexts } from '../../chat/texts/skp.js';
import { unsentLateRealisasi } from '../../app/realisasi.js';

export function helpFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command(['bantuan', 'help', 'menu'], async (ctx) => {
    const employee = employeeOf(ctx);
    const body = helpText(rolesOf(employee), { linked: employee !== null });
    if (!employee) return void (await replyNotLinked(ctx, body));
    await ctx.reply(body, { parse_mode: 'HTML' });
  });

  // "/jadwal", "/deadline": the dates themselves (free text such as "kapan batas waktu SKP?" gets the same answer).
  composer.command(['jadwal', 'deadline'], async (ctx) => {
    const me = employeeOf(ctx);
    if (!me) return void (await replyNotLinked(ctx));
    await ctx.reply(await scheduleReply(deps, me), { parse_mode: 'HTML' });
  });

  composer.command('profil', async (ctx) => {
    const e = employeeOf(ctx);
    if (!e) {
      await replyNotLinked(ctx);
      return;
    }
    await ctx.reply(
      profileText({
        nama: e.nama,
        nip: e.nip,
        pangkat: e.pangkat,
        jabatan: e.jabatan,
        unit: e.unitPath,
        atasan: e.atasanNama,
        roles: rolesOf(e),
      }),
      { parse_mode: 'HTML' },
    );
  });

  return composer;
}

/** Last in the chain: every update that reached here gets an answer, never silence. */
export function fallbackFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  /** For a question about one's data or whom to ask: the pengelola of one's perangkat daerah, by name. */
  const contactFor = async (me: EmployeeProfile | null, pointer: TopicPointer) =>
    me && (pointer.topic === 'dataPegawai' || pointer.topic === 'kontak')
      ? { pengelola: { perangkatDaerah: perangkatDaerahName(me.unitPath), names: await pengelolaNamesOf(deps.db, me.perangkatDaerahId) } }
      : {};
  /** The answer to a topic: the deadlines themselves for "kapan batas waktu …", else the commands that answer it. */
  const topicReply = async (me: EmployeeProfile | null, pointer: TopicPointer, typedCommand?: string) =>
    me && pointer.topic === 'jadwal' ? await scheduleReply(deps, me) : texts.topicPointer(pointer, { typedCommand, ...(await contactFor(me, pointer)) });
  composer.on('callback_query', async (ctx) => {
    await ctx.answerCbQuery(texts.buttonInvalid);
  });
  composer.on('message', async (ctx) => {
    const msg = ctx.message;
    if ('text' in msg) {
      const me = employeeOf(ctx);
      const roles = rolesOf(me);
      if (msg.text.startsWith('/')) {
        const typed = msg.text.split(/\s/)[0]!;
        // "/predikat", "/tpp": a subject the bot answers under another command's name; else the nearest typo.
        const pointer = topicOf(wordsOf(typed), roles);
        if (pointer) return void (await ctx.reply(await topicReply(me, pointer, typed.split('@')[0]!), { parse_mode: 'HTML' }));
        const suggestion = suggestCommand(typed, roles);
        const reply = suggestion ? texts.unknownCommandSuggest(suggestion) : texts.unknownCommand;
        return void (await ctx.reply(reply, { parse_mode: 'HTML' }));
      }
      if (!me) return void (await replyNotLinked(ctx));
      const meant = classifyFreeText(msg.text, roles);
      // "jadwal" without its slash: the dates, as for "/jadwal".
      if (meant.kind === 'command' && meant.command.command === 'jadwal') return void (await ctx.reply(await scheduleReply(deps, me), { parse_mode: 'HTML' }));
      if (meant.kind === 'command') {
        return void (await ctx.reply((meant.asked ? texts.freeTextAskedCommand : texts.freeTextCommand)(meant.command), { parse_mode: 'HTML' }));
      }
      // "setuju" typed by whom a request waits on is an answer to that request: its buttons decide.
      const approving = meant.kind === 'topic' && meant.pointer.topic === 'persetujuan';
      if (meant.kind === 'topic' && !approving) return void (await ctx.reply(await topicReply(me, meant.pointer), { parse_mode: 'HTML' }));
      // Typing while a request waits for a tap: point to its buttons rather than saying nothing is going on.
      const waiting = (await openTasksOf(deps.db, deps.procedures, me.id, { decisionsOnly: true })).length;
      if (meant.kind === 'topic') {
        return void (await ctx.reply(waiting > 0 ? texts.freeTextWithTasks(waiting) : texts.topicPointer(meant.pointer), { parse_mode: 'HTML' }));
      }
      if (meant.kind === 'other' && meant.named && waiting === 0) return void (await ctx.reply(texts.freeTextNamedCommand(meant.named), { parse_mode: 'HTML' }));
      return void (await ctx.reply(texts.freeTextReply(meant.kind, me.nama, waiting), { parse_mode: 'HTML' }));
    }
    if ('document' in msg || 'photo' in msg) {
      if (!employeeOf(ctx)) return void (await replyNotLinked(ctx));
      await ctx.reply(texts.unexpectedFile, { parse_mode: 'HTML' });
      return;
    }
    await ctx.reply(texts.unsupportedMessage);
  });
  // Edits of old messages are not re-processed: the original was already answered.
  composer.on('edited_message', () => {});
  return composer;
}

/** The deadlines that apply to `me` now (/jadwal, "kapan batas waktu …"), and a realisation already late, unsent. */
async function scheduleReply(deps: BotDeps, me: EmployeeProfile): Promise<string> {
  const now = deps.now();
  const tz = deps.calendar.config.timeZone;
  const schedule = scheduleOf({ ...deps, deployment: deps.config.deployment }, me, now);
  const [progress, unsent] = await Promise.all([
    scheduleProgressOf(deps, me, schedule),
    unsentLateRealisasi(deps, me, now, deps.config.deployment.monthly.deadlineDay),
  ]);
  const text = scheduleText(schedule, tz, rolesOf(me).some((r) => r !== 'asn'), progress);
  return unsent ? `${text}\n\n${statusTexts.unsentLate(unsent.period, unsent.deadline, tz)}` : text;
}
