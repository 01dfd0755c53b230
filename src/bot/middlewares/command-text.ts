// Commands as people type them: '/SKP' and '/Rekap 2026' are /skp and /rekap, and a bare "batal" is /batal.
import type { MiddlewareFn } from 'telegraf';
import type { BotContext } from '../context.js';

/** A message that is only a wish to stop ("batal", "Batalkan.", "cancel") means /batal, mid-conversation too. */
const CANCEL_WORDS = /^(batal|batalkan|cancel)[.!]*$/i;

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
      } else if (CANCEL_WORDS.test(msg.text.trim())) {
        mutable.text = '/batal';
        mutable.entities = [{ type: 'bot_command', offset: 0, length: '/batal'.length }];
      }
    }
    return next();
  };
}
