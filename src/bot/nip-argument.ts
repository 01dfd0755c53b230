// A name typed where a command asks for a NIP ("/kode Anisa"): the employees of that name the user may act on,
// each with a button that runs the command for them and the NIP to type, instead of "NIP tidak valid".
import type { Composer } from 'telegraf';
import { employeesNamed } from '../app/repositories/employees.js';
import type { Operation } from '../app/access-policy.js';
import { nipPickButtons, nipPickKeyboard, pickedArgument, pickedCommand, type NipCommand } from '../chat/buttons/nip-pick.js';
import { texts } from '../chat/texts/common.js';
import { onButton } from './buttons.js';
import { employeeOf, type BotContext, type BotDeps } from './context.js';

/** Letters and no digit: a name, not a mistyped NIP (which gets the NIP's own explanation). */
function looksLikeName(typed: string): boolean {
  return /\p{L}{2}/u.test(typed) && !/\d/.test(typed);
}

/**
 * Answers a name typed for `/command` with the matches, a button for each and an example command (the NIP, then
 * `rest`). False when the text is no name, or when `onlyWithMatches` and nobody matched: the command goes on as
 * usual.
 */
export async function answerNameForNip(
  ctx: BotContext,
  deps: Pick<BotDeps, 'db' | 'access'>,
  input: { typed: string; operation: Operation; command: NipCommand; rest?: string; onlyWithMatches?: boolean },
): Promise<boolean> {
  const typed = input.typed.trim();
  const me = employeeOf(ctx);
  if (!me || !looksLikeName(typed)) return false;
  const matches = await employeesNamed(deps.db, deps.access.employeesVisibleSql(me, input.operation), typed);
  if (matches.length === 0 && input.onlyWithMatches) return false;
  const rest = input.rest?.trim() ?? '';
  const shown = matches.slice(0, 5);
  const keyboard = nipPickKeyboard(input.command, shown, rest);
  const example = (nip: string) => pickedCommand(input.command, { nip, rest });
  await ctx.reply(texts.nameInsteadOfNip(typed, matches, example, 'reply_markup' in keyboard), { parse_mode: 'HTML', ...keyboard });
  return true;
}

/**
 * The taps on `/command`'s pick buttons: `run` gets the argument the user would have typed (the NIP, then the
 * rest), and checks it as it checks a typed one. The spinner stops once it has answered.
 */
export function onNipPick(composer: Composer<BotContext>, command: NipCommand, run: (ctx: BotContext, argument: string) => Promise<unknown>): void {
  onButton(composer, nipPickButtons[command], async (ctx, pick) => {
    await run(ctx, pickedArgument(pick));
    // A refusal inside `run` already answered the tap with its reason; a second answer is refused, and harmless.
    await ctx.answerCbQuery().catch(() => undefined);
  });
}
