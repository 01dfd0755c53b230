// Finds a Chromium for browser tests: CHROMIUM_PATH, else Debian's chromium (.ci/run installs it when missing).
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function chromiumPath(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** The URL Telegram opens: launch parameters in the hash (tgWebAppData is the signed initData). */
export function miniAppUrl(base: string, initData: string, options: { screen?: string; theme?: Record<string, string> } = {}): string {
  const hash = new URLSearchParams({
    tgWebAppData: initData,
    tgWebAppVersion: '8.0',
    tgWebAppPlatform: 'web',
    tgWebAppThemeParams: JSON.stringify(options.theme ?? {}),
  });
  return `${base}${options.screen ? `?screen=${options.screen}` : ''}#${hash.toString()}`;
}

export const LIGHT_THEME = { bg_color: '#ffffff', text_color: '#000000', hint_color: '#707579', link_color: '#3390ec', button_color: '#3390ec', button_text_color: '#ffffff', secondary_bg_color: '#f4f4f5' };
export const DARK_THEME = { bg_color: '#212121', text_color: '#ffffff', hint_color: '#aaaaaa', link_color: '#8774e1', button_color: '#8774e1', button_text_color: '#ffffff', secondary_bg_color: '#181818' };
