// Methods about the bot itself: getMe, logOut/close, webhook setup, commands, descriptions, menu button.
import type { Core, Handler } from '../core.js';
import { badRequest, paramString } from '../http.js';
import { deleteWebhook, setWebhook, webhookInfo } from '../webhook.js';

/** Where setMyCommands stores a command list: by scope (default {type:'default'}) and language ('' = all). */
export function commandsKey(scope: unknown, languageCode: string): string {
  let s: Record<string, unknown> = { type: 'default' };
  if (typeof scope === 'string') {
    try {
      s = JSON.parse(scope) as Record<string, unknown>;
    } catch {
      throw badRequest("can't parse BotCommandScope JSON object");
    }
  } else if (scope && typeof scope === 'object') s = scope as Record<string, unknown>;
  return JSON.stringify([s.type ?? 'default', s.chat_id ?? null, s.user_id ?? null, languageCode]);
}

export function botMethods(core: Core): Record<string, Handler> {
  const commands = core.world.commands;
  return {
    getme: () => ({
      ...core.botUser,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    }),
    logout: () => true,
    close: () => true,
    setwebhook: (p) => setWebhook(core, p),
    deletewebhook: (p) => deleteWebhook(core, p),
    getwebhookinfo: () => webhookInfo(core),
    setmycommands: (p) => {
      const list = p.commands;
      if (!Array.isArray(list)) throw badRequest("can't parse commands JSON object");
      if (list.length > 100) throw badRequest('too many commands');
      for (const c of list as Array<Record<string, unknown>>) {
        if (typeof c !== 'object' || c === null) throw badRequest("can't parse BotCommand");
        if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
        if (typeof c.description !== 'string' || c.description.trim() === '' || c.description.length > 256) {
          throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
        }
      }
      commands.set(commandsKey(p.scope, paramString(p, 'language_code') ?? ''), structuredClone(list));
      return true;
    },
    getmycommands: (p) => structuredClone(commands.get(commandsKey(p.scope, paramString(p, 'language_code') ?? '')) ?? []),
    deletemycommands: (p) => {
      commands.delete(commandsKey(p.scope, paramString(p, 'language_code') ?? ''));
      return true;
    },
    setmydescription: () => true,
    setmyshortdescription: () => true,
    setmyname: () => true,
    setchatmenubutton: () => true,
    getchatmenubutton: () => ({ type: 'commands' }),
  };
}
