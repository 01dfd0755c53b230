// /kumpulkan: the pengelola picks established SKP of their perangkat daerah and forwards them to BKPP in one go.
import { Composer, Markup } from 'telegraf';
import { act } from '../../../app/case-engine.js';
import { collectableCases, subjectNamesOfCases } from '../../../app/tasks.js';
import { collectButtons } from '../../../chat/buttons/collect.js';
import { approvalTexts } from '../../../chat/texts/approvals.js';
import { texts } from '../../../chat/texts/common.js';
import { DomainError } from '../../../domain/errors.js';
import { permitted } from '../../access.js';
import { onButton } from '../../buttons.js';
import { employeeOf, logOf, type BotContext } from '../../context.js';
import type { ApprovalKit } from './kit.js';

export function collectHandlers(kit: ApprovalKit): Composer<BotContext> {
  const { deps, engine, saveConversation, loadConversation, clearConversation, currentStepNo } = kit;
  const composer = new Composer<BotContext>();

  // Pengelola: gather the established SKP of their perangkat daerah and forward them to BKPP in one go.
  const listCollectable = (pengelolaId: string) => collectableCases(deps.db, deps.procedures, pengelolaId);

  const collectKeyboard = (items: Array<{ nama: string }>, selected: number[]) =>
    Markup.inlineKeyboard([
      ...items.map((item, i) => [Markup.button.callback(`${selected.includes(i) ? '✅' : '⬜'} ${item.nama.slice(0, 40)}`, collectButtons.encode({ op: 'toggle', index: i }))]),
      [Markup.button.callback('📤 Teruskan terpilih', collectButtons.encode({ op: 'selected' })), Markup.button.callback('📤 Teruskan semua', collectButtons.encode({ op: 'all' }))],
    ]).reply_markup;

  composer.command('kumpulkan', async (ctx) => {
    if (!(await permitted(ctx, deps, 'collect'))) return;
    const me = employeeOf(ctx)!;
    const items = await listCollectable(me.id);
    if (items.length === 0) return void (await ctx.reply(approvalTexts.collectNone));
    await saveConversation(ctx.from.id, { kind: 'collect', caseIds: items.map((i) => i.id), versions: items.map((i) => i.version), selected: [] });
    await ctx.reply(approvalTexts.collectHeading(items.length), { parse_mode: 'HTML', reply_markup: collectKeyboard(items, []) });
  });

  onButton(composer, collectButtons, async (ctx, button) => {
    if (!(await permitted(ctx, deps, 'collect'))) return;
    const me = employeeOf(ctx);
    const conv = me ? await loadConversation(ctx.from.id) : null;
    if (!me || !conv || conv.kind !== 'collect') return void (await ctx.answerCbQuery(texts.buttonInvalid));
    if (button.op === 'toggle') {
      const i = button.index;
      if (!(i >= 0 && i < conv.caseIds.length)) return void (await ctx.answerCbQuery(texts.buttonInvalid));
      const selected = conv.selected.includes(i) ? conv.selected.filter((x) => x !== i) : [...conv.selected, i];
      await saveConversation(ctx.from.id, { ...conv, selected });
      const names = await subjectNamesOfCases(deps.db, conv.caseIds);
      await ctx.answerCbQuery();
      await ctx.editMessageReplyMarkup(collectKeyboard(conv.caseIds.map((id) => ({ nama: names.get(id) ?? '-' })), selected));
      return;
    }
    const chosen = button.op === 'all' ? conv.caseIds.map((_, i) => i) : conv.selected;
    if (chosen.length === 0) return void (await ctx.answerCbQuery('Belum ada yang dipilih.'));
    await ctx.answerCbQuery('Meneruskan…');
    let forwarded = 0;
    let skipped = 0;
    for (const i of chosen) {
      try {
        const caseId = conv.caseIds[i]!;
        await act(engine, {
          caseId,
          actorId: me.id,
          expectedVersion: conv.versions[i],
          command: { kind: 'complete', stepNo: (await currentStepNo(caseId))!, inputs: { confirmed: true } },
          now: deps.now(),
        });
        forwarded++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        skipped++;
      }
    }
    await clearConversation(ctx.from.id, 'collect');
    await ctx.editMessageText(approvalTexts.collectDone(forwarded, skipped));
    logOf(ctx).info({ forwarded, skipped }, 'collect batch forwarded');
  });

  return composer;
}
