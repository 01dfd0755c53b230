// /cetak (send the SKP or monthly evaluation document as a PDF) and /verifikasi (check a printed verification code).
import { Composer } from 'telegraf';
import { yearOrPeriodKey } from '../../domain/period.js';
import { listPrintableCases, renderCaseDocument, verifyDocument } from '../../app/documents.js';
import { findEmployeeByNip } from '../../app/repositories/employees.js';
import { isDomainError } from '../../domain/errors.js';
import { nipDigits, parseNip } from '../../domain/nip.js';
import { permitted } from '../access.js';
import { commandArgument, employeeOf, logOf, rolesOf, type BotContext, type BotDeps } from '../context.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { texts } from '../../chat/texts/common.js';
import { printKeyboards, printTexts } from '../../chat/texts/print.js';
import { printButtons } from '../../chat/buttons/print.js';
import { onButton } from '../buttons.js';
import { answerNameForNip, onNipPick } from '../nip-argument.js';


/** Texts of this feature's own error codes; everything else goes through the shared mapping. */
function errorText(error: unknown, deps: BotDeps): string | null {
  if (!isDomainError(error)) return null;
  switch (error.code) {
    case 'ACCESS_DENIED':
      return printTexts.caseNotVisible;
    case 'DOCUMENT_NOT_READY':
      return printTexts.notReady;
    case 'DOCUMENT_NOT_AVAILABLE':
      return printTexts.notAvailable;
    default:
      return domainErrorText(error, deps.config.deployment.instansi.timeZone);
  }
}

export function printFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const tz = deps.config.deployment.instansi.timeZone;

  const cetak = async (ctx: BotContext, arg: string) => {
    if (!(await permitted(ctx, deps, 'caseDocument'))) return;
    const viewer = employeeOf(ctx)!;
    let subject: { id: string; nama: string } | null = null;
    // A name with matches ("/cetak anisa") is answered with their NIPs; other words or a period ("/cetak skp",
    // "/cetak mei 2026") are no NIP: they get the list to choose from.
    if (arg && (await answerNameForNip(ctx, deps, { typed: arg, operation: 'caseDocument', command: 'cetak', onlyWithMatches: true }))) return;
    if (arg && /\d/.test(arg) && !yearOrPeriodKey(arg)) {
      // `/cetak NIP`: the documents of one employee (for atasan, pengelola and BKPP with many people to see).
      const parsed = parseNip(arg, deps.now());
      if (!parsed.ok) return void (await ctx.reply(texts.nipInvalid(parsed.reason), { parse_mode: 'HTML' }));
      const found = await findEmployeeByNip(deps.db, nipDigits(arg));
      if (!found) return void (await ctx.reply(texts.employeeNotFound(nipDigits(arg)), { parse_mode: 'HTML' }));
      subject = { id: found.id, nama: found.nama };
    }
    const visible = deps.access.casesVisibleSql(viewer, 'caseDocument');
    const items = await listPrintableCases(deps, { visible, ...(subject ? { subjectId: subject.id } : {}) });
    if (items.length === 0) {
      // Nothing to print: say whether that is because the employee is not the viewer's to see.
      const target = subject ? { kind: 'employee' as const, employeeId: subject.id } : undefined;
      if (target && !(await permitted(ctx, deps, 'caseDocument', target, { out_of_scope: printTexts.employeeNotVisible }))) return;
      return void (await ctx.reply(subject ? printTexts.nothingToPrintFor(subject.nama) : printTexts.nothingToPrint, { parse_mode: 'HTML' }));
    }
    const others = rolesOf(viewer).some((role) => role !== 'asn');
    await ctx.reply(printTexts.chooseDocument(subject && subject.id !== viewer.id ? subject.nama : null, others), {
      parse_mode: 'HTML',
      ...printKeyboards.choose(items, viewer.id),
    });
  };
  composer.command('cetak', (ctx) => cetak(ctx, commandArgument(ctx)));
  onNipPick(composer, 'cetak', cetak);

  onButton(composer, printButtons, async (ctx, { caseId }) => {
    const viewer = employeeOf(ctx);
    if (!viewer) return void (await ctx.answerCbQuery(texts.notLinked.replace(/<[^>]+>/g, '').slice(0, 200)));
    // Checked before answering so a refusal is the toast itself; the PDF is built after the spinner stops.
    const target = { kind: 'case' as const, caseId };
    if (!(await permitted(ctx, deps, 'caseDocument', target, { out_of_scope: printTexts.caseNotVisible, not_found: printTexts.caseNotVisible }))) return;
    await ctx.answerCbQuery(printTexts.preparing);
    await ctx.sendChatAction('upload_document').catch(() => {});
    try {
      const doc = await renderCaseDocument(deps, { caseId, requestedBy: viewer, now: deps.now() });
      await ctx.replyWithDocument(
        { source: doc.pdf, filename: doc.fileName },
        { caption: printTexts.documentCaption(doc.kind, doc.period, doc.subjectNama, doc.verificationCode), parse_mode: 'HTML' },
      );
    } catch (error) {
      const text = errorText(error, deps);
      if (text === null) logOf(ctx).error({ err: error, caseId }, 'printing a document failed');
      await ctx.reply(text ?? printTexts.failed, { parse_mode: 'HTML' });
    }
  });

  composer.command('verifikasi', async (ctx) => {
    if (!(await permitted(ctx, deps, 'verification'))) return;
    const arg = commandArgument(ctx);
    if (!arg) return void (await ctx.reply(printTexts.verifyUsage, { parse_mode: 'HTML' }));
    const found = await verifyDocument(deps.db, arg);
    await ctx.reply(found ? printTexts.verified(found, tz) : printTexts.verifyUnknown(arg), { parse_mode: 'HTML' });
  });

  return composer;
}
