// Commands as people type them: '/SKP' and '/Rekap 2026' are /skp and /rekap, and a bare "batal" (or one after a
// command, "/umumkan batal") is /batal.
import type { MiddlewareFn } from 'telegraf';
import type { BotContext } from '../context.js';

/** A message that is only a wish to stop ("batal", "Batalkan.", "cancel") means /batal, mid-conversation too. */
const CANCEL_WORDS = /^(batal|batalkan|cancel)[.!]*$/i;
/** Commands for which "batal" after them is an argument of their own (/wakil batal ends a delegation). */
const OWN_BATAL = new Set(['/wakil', '/batal', '/cancel']);

export function normaliseCommands(): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    const msg = ctx.message;
    if (msg && 'text' in msg) {
      // telegraf matches a command's name exactly; Telegram's command entities accept any case.
      const mutable = msg as { text: string; entities?: typeof msg.entities };
      const first = msg.entities?.[0];
      if (first?.type === 'bot_command' && first.offset === 0) {
        const head = msg.text.slice(0, first.length);
        const name = head.split('@')[0]!;
        if (name !== name.toLowerCase()) mutable.text = name.toLowerCase() + msg.text.slice(name.length);
        // "/umumkan batal", "/skp batal": the wish to stop, said after the command it is about.
        if (!OWN_BATAL.has(name.toLowerCase()) && CANCEL_WORDS.test(msg.text.slice(head.length).trim())) {
          mutable.text = '/batal';
          mutable.entities = [{ type: 'bot_command', offset: 0, length: '/batal'.length }];
        }
      } else if (CANCEL_WORDS.test(msg.text.trim())) {
        mutable.text = '/batal';
        mutable.entities = [{ type: 'bot_command', offset: 0, length: '/batal'.length }];
      }
    }
    return next();
  };
}
