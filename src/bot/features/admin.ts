// Admin commands: link codes (/kode), unlinking (/lepas) and roster import from a CSV sent to the chat.
import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { importRoster } from '../../app/import-roster.js';
import { issueLinkCode, unlinkTelegram } from '../../app/link-account.js';
import { loadConversation } from '../../app/conversation.js';
import { applyRosterUpload, cancelRosterUpload, findRosterUpload, storeRosterUpload } from '../../app/roster-uploads.js';
import { isDomainError } from '../../domain/errors.js';
import { formatDateTime } from '../../domain/format.js';
import { formatProblems, parseRoster } from '../../domain/roster.js';
import { permitted } from '../access.js';
import { onButton } from '../buttons.js';
import { rosterUploadButtons } from '../../chat/buttons/roster.js';
import { commandArgument, employeeOf, logOf, type BotContext, type BotDeps } from '../context.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { keyboards, rosterSummaryText, texts } from '../../chat/texts/common.js';
import { answerNameForNip, onNipPick } from '../nip-argument.js';

const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

export async function downloadTelegramFile(ctx: BotContext, fileId: string): Promise<Buffer> {
  const link = await ctx.telegram.getFileLink(fileId);
  const response = await fetch(link);
  if (!response.ok) throw new Error(`file download failed with HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

function looksLikeCsv(fileName: string | undefined, mimeType: string | undefined): boolean {
  const name = (fileName ?? '').toLowerCase();
  return name.endsWith('.csv') || mimeType === 'text/csv' || mimeType === 'text/comma-separated-values';
}

export function adminFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const replyError = async (ctx: BotContext, error: unknown) => {
    if (!isDomainError(error)) throw error;
    await ctx.reply(domainErrorText(error), { parse_mode: 'HTML' });
  };

  const kode = async (ctx: BotContext, arg: string) => {
    if (!(await permitted(ctx, deps, 'issueLinkCode'))) return;
    const issuer = employeeOf(ctx)!;
    if (!arg) return void (await ctx.reply(texts.kodeUsage, { parse_mode: 'HTML' }));
    if (await answerNameForNip(ctx, deps, { typed: arg, operation: 'issueLinkCode', command: 'kode' })) return;
    try {
      const { code, target, expiresAt } = await issueLinkCode(deps.db, deps.access, {
        issuer,
        nipInput: arg,
        now: deps.now(),
        ttlDays: deps.config.deployment.linking.codeTtlDays,
      });
      const link = `https://t.me/${ctx.botInfo.username}?start=${code}`;
      await ctx.reply(
        texts.codeIssued(target.nama, target.nip, code, link, formatDateTime(expiresAt, deps.config.deployment.instansi.timeZone)),
        { parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
      );
    } catch (error) {
      await replyError(ctx, error);
    }
  };
  composer.command('kode', (ctx) => kode(ctx, commandArgument(ctx)));
  onNipPick(composer, 'kode', kode);

  const lepas = async (ctx: BotContext, arg: string) => {
    if (!(await permitted(ctx, deps, 'unlink'))) return;
    const admin = employeeOf(ctx)!;
    if (!arg) return void (await ctx.reply(texts.lepasUsage, { parse_mode: 'HTML' }));
    if (await answerNameForNip(ctx, deps, { typed: arg, operation: 'unlink', command: 'lepas' })) return;
    try {
      const target = await unlinkTelegram(deps.db, deps.access, { admin, nipInput: arg, now: deps.now() });
      await ctx.reply(texts.unlinked(target.nama, target.nip), { parse_mode: 'HTML' });
    } catch (error) {
      await replyError(ctx, error);
    }
  };
  composer.command('lepas', (ctx) => lepas(ctx, commandArgument(ctx)));
  onNipPick(composer, 'lepas', lepas);

  composer.command('impor', async (ctx) => {
    if (!(await permitted(ctx, deps, 'importRoster'))) return;
    await ctx.reply(texts.imporHelp, { parse_mode: 'HTML' });
  });

  // A CSV from a BKPP admin is a roster import; anything else falls through to other features.
  composer.on(message('document'), async (ctx, next) => {
    const admin = employeeOf(ctx);
    const doc = ctx.message.document;
    // Routing, not deciding: a CSV from someone who may import is an import; anything else goes on.
    if (!admin || !deps.access.mayEver(admin, 'importRoster') || !looksLikeCsv(doc.file_name, doc.mime_type)) return next();
    if (!(await permitted(ctx, deps, 'importRoster'))) return;
    // In the middle of another conversation (e.g. composing an announcement) the CSV belongs to that flow.
    if (await loadConversation(deps.db, ctx.from.id)) return next();
    if ((doc.file_size ?? 0) > MAX_DOWNLOAD_BYTES) return void (await ctx.reply(texts.rosterTooBig));
    const content = await downloadTelegramFile(ctx, doc.file_id);
    const parsed = parseRoster(content);
    if (!parsed.ok) {
      await ctx.reply(texts.rosterRejected(parsed.problems.length, formatProblems(parsed.problems, 30)), { parse_mode: 'HTML' });
      return;
    }
    const fileName = doc.file_name ?? 'roster.csv';
    const summary = await importRoster(deps.db, parsed.rows, parsed.units, {
      dryRun: true,
      actorId: admin.id,
      actorLabel: `telegram:${admin.telegramUserId}`,
    });
    const uploadId = await storeRosterUpload(deps.db, { uploadedBy: admin.id, fileName, content, summary });
    await ctx.reply(texts.rosterPreview(rosterSummaryText(summary, fileName)), {
      parse_mode: 'HTML',
      ...keyboards.rosterConfirm(uploadId),
    });
  });

  onButton(composer, rosterUploadButtons, async (ctx, { op, uploadId }) => {
    if (!(await permitted(ctx, deps, 'importRoster'))) return;
    const admin = employeeOf(ctx)!;
    const upload = await findRosterUpload(deps.db, uploadId!);
    if (!upload) return void (await ctx.answerCbQuery(texts.buttonInvalid));
    if (upload.uploadedBy !== admin.id) return void (await ctx.answerCbQuery(texts.buttonNotForYou));
    if (upload.status !== 'pending') return void (await ctx.answerCbQuery(texts.rosterAlreadyDecided));
    if (op === 'cancel') {
      await cancelRosterUpload(deps.db, upload.id, deps.now());
      await ctx.answerCbQuery();
      await ctx.editMessageText(texts.rosterCancelled);
      return;
    }
    await ctx.answerCbQuery('Menerapkan impor…');
    // Re-validate the stored file: the roster may have changed since the preview.
    const parsed = parseRoster(upload.content);
    if (!parsed.ok) {
      await ctx.editMessageText(texts.rosterRejected(parsed.problems.length, formatProblems(parsed.problems, 30)), { parse_mode: 'HTML' });
      return;
    }
    try {
      const summary = await applyRosterUpload(deps.db, upload.id, parsed, { id: admin.id, label: `telegram:${admin.telegramUserId}` }, deps.now());
      await ctx.editMessageText(texts.rosterApplied(rosterSummaryText(summary, upload.fileName)), { parse_mode: 'HTML' });
    } catch (error) {
      if (isDomainError(error)) {
        await ctx.editMessageText(domainErrorText(error), { parse_mode: 'HTML' });
        return;
      }
      logOf(ctx).error({ err: error }, 'roster import failed');
      await ctx.editMessageText(texts.rosterFailed);
    }
  });

  return composer;
}
