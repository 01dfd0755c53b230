// Telegram tells us when a user blocks or unblocks the bot; anyone who writes can be reached again at once.
import { Composer } from 'telegraf';
import { markReachable, markUnreachable } from '../../app/link-account.js';
import type { BotContext, BotDeps } from '../context.js';

export function reachability(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('my_chat_member', async (ctx) => {
    const update = ctx.myChatMember;
    if (update.chat.type !== 'private') return;
    const status = update.new_chat_member.status;
    if (status === 'kicked') await markUnreachable(deps.db, update.from.id, deps.now());
    else if (status === 'member') await markReachable(deps.db, update.from.id);
  });
  return composer;
}
