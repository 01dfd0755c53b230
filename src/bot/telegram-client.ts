// The Bot API client every process uses: telegraf's Telegram with keep-alive connections whatever the API root.
import { Agent } from 'node:http';
import { Telegram } from 'telegraf';

/**
 * telegraf keeps connections alive to https://api.telegram.org but drops its agent for an http:// root — which is
 * how a self-hosted Bot API server (telegram-bot-api on localhost:8081) is reached. Without keep-alive every call
 * opens a new TCP connection, which caps an announcement's rate; one shared keep-alive agent restores it.
 */
const httpAgent = new Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 128 });

export function withKeepAlive<T extends Telegram>(telegram: T): T {
  if (telegram.options.apiRoot.startsWith('http://')) telegram.options.agent = httpAgent;
  return telegram;
}

/** webhookReply off: every API call gets its real result, in polling and webhook mode alike. */
export function createTelegram(token: string, apiRoot = 'https://api.telegram.org'): Telegram {
  return withKeepAlive(new Telegram(token, { apiRoot, webhookReply: false }));
}
