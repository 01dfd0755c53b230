// Baseline: the smallest telegraf 4.16 bot that does the same job at the surface: it polls and answers every
// button press and text at once. Plain JavaScript, nothing else loaded. Env: TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT.
import { Telegraf } from 'telegraf';

const bot = new Telegraf(process.env.TELEGRAM_BOT_TOKEN, { telegram: { apiRoot: process.env.TELEGRAM_API_ROOT } });
bot.on('callback_query', (ctx) => ctx.answerCbQuery('OK'));
bot.on('text', (ctx) => ctx.reply('OK'));
bot.catch((error) => console.error(error));
void bot.launch();
const stop = () => {
  bot.stop('signal');
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
