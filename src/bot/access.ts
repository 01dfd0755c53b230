// Asks the access policy from a handler and answers a refusal: a toast for a button, a message otherwise.
import { AccessDenied, type AccessTarget, type Decision, type Operation, type Refusal } from '../app/access-policy.js';
import type { CaseHead } from '../app/tasks.js';
import { accessTexts } from '../chat/texts/access.js';
import { employeeOf, type BotContext, type BotDeps } from './context.js';
import { domainErrorText } from '../chat/texts/errors.js';
import { keyboards, texts } from '../chat/texts/common.js';

const READ_OPERATIONS: readonly Operation[] = ['caseDetail', 'caseEvidence', 'caseDocument', 'caseEvents', 'recap', 'export', 'nominations'];

/** The default answer to a refusal; a handler passes its own texts where its feature has them. */
export function refusalText(operation: Operation, refusal: Refusal, isButton: boolean): string {
  switch (refusal) {
    case 'inactive':
      return isButton ? accessTexts.inactiveInRosterShort : accessTexts.inactiveInRoster(null);
    case 'no_role':
      return texts.notAuthorized;
    case 'not_found':
      if (isButton) return texts.buttonInvalid;
      return READ_OPERATIONS.includes(operation) ? accessTexts.notYoursToSee : accessTexts.notYoursToDo;
    case 'out_of_scope':
      return domainErrorText(new AccessDenied(operation, refusal));
  }
}

/**
 * Whether the linked employee may perform `operation` (on `target`). A refusal is answered here (and logged by the
 * policy); the caller just returns. An unlinked user is told to link first.
 */
export async function permitted(
  ctx: BotContext,
  deps: BotDeps,
  operation: Operation,
  target?: AccessTarget,
  own: Partial<Record<Refusal, string>> = {},
): Promise<boolean> {
  const me = employeeOf(ctx);
  if (!me) {
    await answerNotLinked(ctx);
    return false;
  }
  return answered(ctx, operation, await deps.access.check(me, operation, target), own);
}

/**
 * A button's case, read with the access decision on it in one statement: its head, and `permitted()`, which
 * answers a refusal as permitted() above does. Null (answered) when the user is not linked or the case is gone.
 */
export async function caseForButton(
  ctx: BotContext,
  deps: BotDeps,
  operation: Operation,
  caseId: string,
): Promise<{ head: CaseHead; permitted(): Promise<boolean> } | null> {
  const me = employeeOf(ctx);
  if (!me) {
    await answerNotLinked(ctx);
    return null;
  }
  const found = await deps.access.caseWithAccess(me, operation, caseId);
  if (!found) {
    await answerRefusal(ctx, texts.buttonInvalid);
    return null;
  }
  return { head: found.head, permitted: () => answered(ctx, operation, found.decision(), {}) };
}

async function answered(ctx: BotContext, operation: Operation, decision: Decision, own: Partial<Record<Refusal, string>>): Promise<boolean> {
  if (decision.allowed) return true;
  await answerRefusal(ctx, own[decision.refusal] ?? refusalText(operation, decision.refusal, ctx.callbackQuery !== undefined));
  return false;
}

/** A toast for a button, a message otherwise. Every text here is HTML-safe (a toast shows it with the tags stripped). */
async function answerRefusal(ctx: BotContext, text: string): Promise<void> {
  if (ctx.callbackQuery !== undefined) await ctx.answerCbQuery(text.replace(/<[^>]+>/g, '').slice(0, 200));
  else await ctx.reply(text, { parse_mode: 'HTML' });
}

/** Someone not linked: a toast for a button, else the message with the share-contact button. */
async function answerNotLinked(ctx: BotContext): Promise<void> {
  if (ctx.callbackQuery !== undefined) await answerRefusal(ctx, texts.notLinked);
  else await replyNotLinked(ctx);
}

/** Tells someone not linked how to link, with the share-contact button under the message (`before`: what goes first). */
export async function replyNotLinked(ctx: BotContext, before?: string): Promise<void> {
  const text = before ? `${before}\n\n${texts.notLinkedWithButton}` : texts.notLinkedWithButton;
  await ctx.reply(text, { parse_mode: 'HTML', ...keyboards.shareContact() });
}
