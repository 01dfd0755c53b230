// Asks the access policy from a handler and answers a refusal: a toast for a button, a message otherwise.
import { AccessDenied, type AccessTarget, type Operation, type Refusal } from '../app/access-policy.js';
import { accessTexts } from '../chat/texts/access.js';
import { employeeOf, type BotContext, type BotDeps } from './context.js';
import { domainErrorText } from '../chat/texts/errors.js';
import { texts } from '../chat/texts/common.js';

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
  const isButton = ctx.callbackQuery !== undefined;
  // Every text here is HTML-safe (the shared texts use tags; a toast shows them stripped).
  const answer = async (text: string) => {
    if (isButton) await ctx.answerCbQuery(text.replace(/<[^>]+>/g, '').slice(0, 200));
    else await ctx.reply(text, { parse_mode: 'HTML' });
  };
  if (!me) {
    await answer(texts.notLinked);
    return false;
  }
  const decision = await deps.access.check(me, operation, target);
  if (decision.allowed) return true;
  await answer(own[decision.refusal] ?? refusalText(operation, decision.refusal, isButton));
  return false;
}
