// /kumpulkan: the pengelola picks established SKP of their perangkat daerah and forwards them to BKPP in one go; BKPP
// receives what was forwarded to them the same way.
import { Composer, Markup } from 'telegraf';
import { act } from '../../../app/case-engine.js';
import { caseHead, collectableCases, subjectNamesOfCases } from '../../../app/tasks.js';
import { collectButtons } from '../../../chat/buttons/collect.js';
import { approvalTexts } from '../../../chat/texts/approvals.js';
import { batchTexts } from '../../../chat/texts/batch.js';
import { clipText, texts } from '../../../chat/texts/common.js';
import { DomainError } from '../../../domain/errors.js';
import { permitted } from '../../access.js';
import { onButton } from '../../buttons.js';
import { employeeOf, logOf, type BotContext } from '../../context.js';
import { buttonInputs, type ApprovalKit } from './kit.js';

export function collectHandlers(kit: ApprovalKit): Composer<BotContext> {
  const { deps, engine, saveConversation, loadConversation, clearConversation } = kit;
  const composer = new Composer<BotContext>();

  const collectKeyboard = (items: Array<{ nama: string }>, selected: number[], mode: 'collect' | 'receive') => {
    const [some, all] = mode === 'receive' ? ['📥 Terima terpilih', '📥 Terima semua'] : ['📤 Teruskan terpilih', '📤 Teruskan semua'];
    return Markup.inlineKeyboard([
      ...items.map((item, i) => [Markup.button.callback(`${selected.includes(i) ? '✅' : '⬜'} ${clipText(item.nama, 40)}`, collectButtons.encode({ op: 'toggle', index: i }))]),
      [Markup.button.callback(some, collectButtons.encode({ op: 'selected' })), Markup.button.callback(all, collectButtons.encode({ op: 'all' }))],
    ]).reply_markup;
  };

  composer.command('kumpulkan', async (ctx) => {
    if (!(await permitted(ctx, deps, 'collect'))) return;
    const me = employeeOf(ctx)!;
    // A pengelola gathers their perangkat daerah's SKP; a BKPP admin receives what was forwarded to them.
    const pengelola = me.roles.some((r) => r.role === 'pengelola');
    const collecting = pengelola ? await collectableCases(deps.db, deps.procedures, me.id, 'collect') : [];
    const bkpp = me.roles.some((r) => r.role === 'bkpp_admin');
    const mode = collecting.length === 0 && bkpp ? 'receive' : 'collect';
    const items = mode === 'receive' ? await collectableCases(deps.db, deps.procedures, me.id, 'receive') : collecting;
    if (items.length === 0) return void (await ctx.reply(mode === 'receive' ? batchTexts.receiveNone : approvalTexts.collectNone));
    await saveConversation(ctx.from.id, { kind: 'collect', caseIds: items.map((i) => i.id), versions: items.map((i) => i.version), selected: [], mode });
    const heading = mode === 'receive' ? batchTexts.receiveHeading(items.length) : approvalTexts.collectHeading(items.length);
    await ctx.reply(heading, { parse_mode: 'HTML', reply_markup: collectKeyboard(items, [], mode) });
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
      await ctx.editMessageReplyMarkup(collectKeyboard(conv.caseIds.map((id) => ({ nama: names.get(id) ?? '-' })), selected, conv.mode ?? 'collect'));
      return;
    }
    const chosen = button.op === 'all' ? conv.caseIds.map((_, i) => i) : conv.selected;
    if (chosen.length === 0) return void (await ctx.answerCbQuery('Belum ada yang dipilih.'));
    const receiving = conv.mode === 'receive';
    await ctx.answerCbQuery(receiving ? 'Menerima…' : 'Meneruskan…');
    let forwarded = 0;
    let skipped = 0;
    for (const i of chosen) {
      try {
        const caseId = conv.caseIds[i]!;
        const head = await caseHead(deps.db, caseId);
        const step = head && deps.procedures.get(head.procedureCode).steps.find((x) => x.no === head.stepNo);
        if (!head || !step) {
          skipped++;
          continue;
        }
        await act(engine, {
          caseId,
          actorId: me.id,
          expectedVersion: conv.versions[i],
          // What a button press supplies for the step (gathering confirms it was done; receiving asks for nothing).
          command: { kind: 'complete', stepNo: head.stepNo, inputs: buttonInputs(step) },
          now: deps.now(),
        });
        forwarded++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        skipped++;
      }
    }
    await clearConversation(ctx.from.id, 'collect');
    await ctx.editMessageText(receiving ? batchTexts.receiveDone(forwarded, skipped) : approvalTexts.collectDone(forwarded, skipped));
    logOf(ctx).info({ forwarded, skipped, receiving }, 'batch of bulk steps done');
  });

  return composer;
}
