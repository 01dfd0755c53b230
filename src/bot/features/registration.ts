// Linking a Telegram account: /start with a shared contact, or a one-time code (/daftar KODE, deep link).
import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { linkByContact, looksLikeLinkCode, redeemLinkCode } from '../../app/link-account.js';
import type { EmployeeProfile } from '../../app/repositories/employees.js';
import { isDomainError } from '../../domain/errors.js';
import { commandArgument, employeeOf, logOf, rolesOf, setEmployee, type BotContext, type BotDeps } from '../context.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { commandsFor, helpText, keyboards, menuText, texts } from '../../chat/texts/common.js';

/** Shows the role's commands in the Telegram menu of this chat. */
export async function publishChatCommands(ctx: BotContext, employee: EmployeeProfile): Promise<void> {
  const commands = commandsFor(rolesOf(employee)).map((c) => ({ command: c.command, description: c.description.slice(0, 256) }));
  try {
    await ctx.telegram.setMyCommands(commands, { scope: { type: 'chat', chat_id: ctx.chat!.id } });
  } catch (error) {
    logOf(ctx).warn({ err: error }, 'setMyCommands for chat failed');
  }
}

export function registrationFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  const greetLinked = async (ctx: BotContext, employee: EmployeeProfile) => {
    setEmployee(ctx, employee);
    await ctx.reply(menuText(employee.nama, rolesOf(employee)), { parse_mode: 'HTML', ...keyboards.remove() });
    await publishChatCommands(ctx, employee);
  };

  const redeem = async (ctx: BotContext, code: string) => {
    try {
      const employee = await redeemLinkCode(deps.db, { telegramUserId: ctx.from!.id, chatId: ctx.chat!.id, code, now: deps.now() });
      await greetLinked(ctx, employee);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await ctx.reply(domainErrorText(error), { parse_mode: 'HTML' });
    }
  };

  composer.start(async (ctx) => {
    const payload = ctx.payload?.trim();
    const me = employeeOf(ctx);
    if (payload) {
      if (me) {
        await ctx.reply(texts.alreadyLinked(me.nama), { parse_mode: 'HTML' });
        return;
      }
      await redeem(ctx, payload);
      return;
    }
    if (me) {
      await ctx.reply(`${texts.alreadyLinked(me.nama)}\n\n${helpText(rolesOf(me))}`, {
        parse_mode: 'HTML',
      });
      return;
    }
    await ctx.reply(texts.welcomeUnlinked, { parse_mode: 'HTML', ...keyboards.shareContact() });
  });

  composer.command('daftar', async (ctx) => {
    const code = commandArgument(ctx);
    const me = employeeOf(ctx);
    if (me) {
      await ctx.reply(texts.alreadyLinked(me.nama), { parse_mode: 'HTML' });
      return;
    }
    if (!code) {
      await ctx.reply(texts.daftarUsage, { parse_mode: 'HTML' });
      return;
    }
    await redeem(ctx, code);
  });

  composer.on(message('contact'), async (ctx) => {
    const contact = ctx.message.contact;
    const me = employeeOf(ctx);
    if (me && contact.user_id === ctx.from.id) {
      await ctx.reply(texts.alreadyLinked(me.nama), { parse_mode: 'HTML', ...keyboards.remove() });
      return;
    }
    try {
      const employee = await linkByContact(deps.db, {
        telegramUserId: ctx.from.id,
        chatId: ctx.chat.id,
        contactUserId: contact.user_id,
        phoneNumber: contact.phone_number,
        now: deps.now(),
      });
      await greetLinked(ctx, employee);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const keep = error.code === 'CONTACT_NOT_OWN' ? keyboards.shareContact() : keyboards.remove();
      await ctx.reply(domainErrorText(error), { parse_mode: 'HTML', ...keep });
    }
  });

  // Someone not linked yet types what they were given or asked for: the code alone, their NIP, their number.
  composer.on(message('text'), async (ctx, next) => {
    if (employeeOf(ctx) || ctx.message.text.startsWith('/')) return next();
    const compact = ctx.message.text.trim().replace(/[\s-]/g, '');
    if (looksLikeLinkCode(compact)) return redeem(ctx, compact);
    if (/^\d{18}$/.test(compact)) return void (await ctx.reply(texts.nipTypedUnlinked, { parse_mode: 'HTML', ...keyboards.shareContact() }));
    if (/^(\+?62|0)8\d{7,12}$/.test(compact)) {
      return void (await ctx.reply(texts.phoneTypedUnlinked, { parse_mode: 'HTML', ...keyboards.shareContact() }));
    }
    return next();
  });

  return composer;
}
