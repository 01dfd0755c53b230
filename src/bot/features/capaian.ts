// /capaian: a BKPP admin (or, when the deployment allows, the pengelola of a perangkat daerah) sets the capaian
// kinerja organisasi of a perangkat daerah for a period: choose the period, the perangkat daerah, the rating.
import { Composer } from 'telegraf';
import { maySetOrgRating, orgRatingsOfPeriod, orgRatingOf, ratablePerangkatDaerah, setOrgRating } from '../../app/annual-evaluation.js';
import { unitName } from '../../app/repositories/units.js';
import { perangkatDaerahMatching } from '../../domain/unit-name.js';
import { typedPeriodKey, withPeriodKeys, yearOrPeriodKey } from '../../domain/period.js';
import { isDomainError } from '../../domain/errors.js';
import { commandArgument, employeeOf, logOf, type BotContext, type BotDeps } from '../context.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { texts } from '../../chat/texts/common.js';
import { replyNotLinked } from '../access.js';
import { capaianTexts, perangkatDaerahKeyboard, ratingChoiceKeyboard } from '../../chat/texts/capaian.js';
import { capaianButtons } from '../../chat/buttons/capaian.js';
import { onButton } from '../buttons.js';

export function capaianFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const tz = deps.config.deployment.instansi.timeZone;
  const pengelolaMaySet = deps.config.deployment.orgRating.pengelolaMaySet;
  const html = { parse_mode: 'HTML' as const };

  /** The default period: the year being closed in January, else the current year. */
  const defaultPeriod = () => {
    const today = deps.calendar.localDate(deps.now());
    const year = Number(today.slice(0, 4));
    return String(today.slice(5, 7) === '01' ? year - 1 : year);
  };

  composer.command('capaian', async (ctx) => {
    const me = employeeOf(ctx);
    if (!me) return void (await replyNotLinked(ctx));
    if (!maySetOrgRating(me, null, pengelolaMaySet)) {
      logOf(ctx).warn({ employeeId: me.id, operation: 'orgRating' }, 'access refused');
      return void (await ctx.reply(capaianTexts.notAllowed));
    }
    // "/capaian 2026", "/capaian Dinas Kesehatan", "/capaian kesehatan Juni 2026": a period, a perangkat daerah, both.
    const arg = commandArgument(ctx);
    const today = deps.calendar.localDate(deps.now());
    const whole = arg ? typedPeriodKey(arg, today) : defaultPeriod();
    const tokens = whole ? [] : withPeriodKeys(arg, today).split(/\s+/).filter(Boolean);
    const periods = tokens.filter((t) => /^\d{4}/.test(t));
    const nameWords = tokens.filter((t) => !/^\d{4}/.test(t));
    const key = whole ?? (periods.length === 0 ? defaultPeriod() : periods.length === 1 ? yearOrPeriodKey(periods[0]!) : null);
    if (!key) return void (await ctx.reply(`${capaianTexts.badPeriod(arg)}\n\n${capaianTexts.usage}`, html));
    const period = key;
    const all = await ratablePerangkatDaerah(deps.db, me, pengelolaMaySet);
    if (all.length === 0) return void (await ctx.reply(capaianTexts.nothingToRate));
    const typed = nameWords.join(' ');
    const pds = typed ? perangkatDaerahMatching(all, typed) : all;
    if (pds.length === 0) {
      // "tahun-lalu", "2026-13": a period mistyped, not a perangkat daerah.
      const periodLike = /\d|-|\b(tahun|bulan|triwulan|semester|tw|smt)\b/i.test(typed);
      return void (await ctx.reply(periodLike ? `${capaianTexts.badPeriod(arg)}\n\n${capaianTexts.usage}` : capaianTexts.unknownUnit(typed), html));
    }
    const ratings = await orgRatingsOfPeriod(deps.db, period);
    if (typed && pds.length === 1) {
      // The one named: straight to its rating, as when tapped in the list.
      const pd = pds[0]!;
      return void (await ctx.reply(capaianTexts.choose(pd.name, period, ratings.get(pd.id) ?? null), { ...html, reply_markup: ratingChoiceKeyboard(period, pd.id) }));
    }
    await ctx.reply(typed ? capaianTexts.severalUnits(typed, pds.map((pd) => pd.name)) : capaianTexts.list(period), {
      ...html,
      reply_markup: perangkatDaerahKeyboard(period, pds.slice(0, 90).map((pd) => ({ ...pd, rating: ratings.get(pd.id) ?? null }))),
    });
  });

  onButton(composer, capaianButtons, async (ctx, button) => {
    const me = employeeOf(ctx);
    const { period, perangkatDaerahId: pdId } = button;
    if (!me) return void (await ctx.answerCbQuery(texts.notLinked.replace(/<[^>]+>/g, '').slice(0, 200)));
    if (!maySetOrgRating(me, pdId!, pengelolaMaySet)) {
      logOf(ctx).warn({ employeeId: me.id, operation: 'orgRating', pdId }, 'access refused');
      return void (await ctx.answerCbQuery(capaianTexts.notAllowed));
    }
    const pdName = await unitName(deps.db, pdId!);
    if (pdName === null) return void (await ctx.answerCbQuery(texts.buttonInvalid));
    if (button.op === 'choose') {
      const current = await orgRatingOf(deps.db, pdId!, period!);
      await ctx.answerCbQuery();
      await ctx.reply(capaianTexts.choose(pdName, period!, current?.rating ?? null), { ...html, reply_markup: ratingChoiceKeyboard(period!, pdId!) });
      return;
    }
    const { rating } = button;
    try {
      const result = await setOrgRating(deps, { actor: me, perangkatDaerahId: pdId!, period: period!, rating, now: deps.now(), pengelolaMaySet });
      await ctx.answerCbQuery('Tersimpan ✅');
      await ctx.editMessageText(capaianTexts.saved(pdName, period!, rating, result.previous, result.changed), html).catch(() => {});
      logOf(ctx).info({ pdId, period, rating, previous: result.previous }, 'org rating set');
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await ctx.answerCbQuery(domainErrorText(error, tz).slice(0, 200), { show_alert: true });
    }
  });

  return composer;
}
