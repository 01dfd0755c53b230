// Who is this? (null until the account is linked.) An employee no longer active in the roster can use
// nothing: every command, button and file gets one message saying so and whom to ask. The link itself stays
// (and in the audit log), so a later import that lists them again restores access without relinking.
import type { MiddlewareFn } from 'telegraf';
import { markReachable } from '../../app/link-account.js';
import { findEmployeeByTelegramId, type EmployeeProfile } from '../../app/repositories/employees.js';
import { accessTexts } from '../../chat/texts/access.js';
import { escapeHtml } from '../../chat/texts/common.js';
import { setEmployee, type BotContext, type BotDeps, type BotState } from '../context.js';

export function identify(deps: BotDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const employee = ctx.from ? await findEmployeeByTelegramId(deps.db, ctx.from.id) : null;
    if (employee && !employee.active) return refuseInactive(ctx, employee);
    if (employee?.unreachable && ctx.from) await markReachable(deps.db, ctx.from.id);
    setEmployee(ctx, employee);
    return next();
  };
}

async function refuseInactive(ctx: BotContext, employee: EmployeeProfile): Promise<void> {
  const log = (ctx.state as BotState).log;
  log.warn({ who: employee.id, what: ctx.updateType, target: null, refusal: 'inactive' }, 'access refused');
  if (ctx.updateType === 'edited_message') return;
  const perangkatDaerah = employee.unitPath.split(' / ')[0] ?? null;
  if (ctx.callbackQuery) await ctx.answerCbQuery(accessTexts.inactiveInRosterShort);
  if (ctx.chat) await ctx.reply(accessTexts.inactiveInRoster(perangkatDaerah ? escapeHtml(perangkatDaerah) : null), { parse_mode: 'HTML' });
}
