// Every Bot API method the fake answers, by lower-case name (getUpdates is routed to the update queue).
import type { Core, Handler } from '../core.js';
import { botMethods } from './bot.js';
import { chatMethods } from './chats.js';
import { editMethods } from './edits.js';
import { fileMethods } from './files.js';
import { messageMethods } from './messages.js';

export function buildHandlers(core: Core): Record<string, Handler> {
  return {
    ...botMethods(core),
    ...chatMethods(core),
    ...messageMethods(core),
    ...editMethods(core),
    answercallbackquery: (p) => core.callbacks.answer(p),
    ...fileMethods(core),
  };
}
