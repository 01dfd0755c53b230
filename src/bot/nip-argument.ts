// A name typed where a command asks for a NIP ("/kode Anisa"): the employees of that name the user may act on,
// each with the NIP to type, instead of "NIP tidak valid".
import { employeesNamed } from '../app/repositories/employees.js';
import type { Operation } from '../app/access-policy.js';
import { texts } from '../chat/texts/common.js';
import { employeeOf, type BotContext, type BotDeps } from './context.js';

/** Letters and no digit: a name, not a mistyped NIP (which gets the NIP's own explanation). */
function looksLikeName(typed: string): boolean {
  return /\p{L}{2}/u.test(typed) && !/\d/.test(typed);
}

/**
 * Answers a name typed for a NIP with the matches and an example command (`exampleFor` builds it from a NIP).
 * False when the text is no name, or when `onlyWithMatches` and nobody matched: the command goes on as usual.
 */
export async function answerNameForNip(
  ctx: BotContext,
  deps: Pick<BotDeps, 'db' | 'access'>,
  input: { typed: string; operation: Operation; exampleFor: (nip: string) => string; onlyWithMatches?: boolean },
): Promise<boolean> {
  const typed = input.typed.trim();
  const me = employeeOf(ctx);
  if (!me || !looksLikeName(typed)) return false;
  const matches = await employeesNamed(deps.db, deps.access.employeesVisibleSql(me, input.operation), typed);
  if (matches.length === 0 && input.onlyWithMatches) return false;
  await ctx.reply(texts.nameInsteadOfNip(typed, matches, input.exampleFor), { parse_mode: 'HTML' });
  return true;
}
