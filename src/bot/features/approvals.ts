// Approver side in the chat: Setujui / Kembalikan (with a reason) / Detail, rating, sign/print/archive, /tugas, /kumpulkan.
// The handlers of src/bot/features/approvals/, one file per concern, mounted in the order they claim updates.
import { Composer } from 'telegraf';
import type { BotContext, BotDeps } from '../context.js';
import { caseButtonsHandler } from './approvals/case-buttons.js';
import { collectHandlers } from './approvals/collect.js';
import { approvalKit } from './approvals/kit.js';
import { repliesHandler } from './approvals/replies.js';
import { tasksCommand } from './approvals/tasks.js';

export function approvalsFeature(deps: BotDeps): Composer<BotContext> {
  const kit = approvalKit(deps);
  return new Composer<BotContext>(caseButtonsHandler(kit), repliesHandler(kit), tasksCommand(kit), collectHandlers(kit));
}
