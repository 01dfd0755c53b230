// The Telegram side of the page without telegram.org's script (no third-party origin): launch parameters from
// the URL hash, the theme as CSS variables, and the few events the page sends (ready, expand).

interface Launch {
  initData: string;
  themeParams: Record<string, string>;
  platform: string;
}

const STORE = 'kinerja.launch';

function readLaunch(): Launch {
  const hash = new URLSearchParams(location.hash.slice(1));
  const initData = hash.get('tgWebAppData');
  if (initData) {
    let themeParams: Record<string, string> = {};
    try {
      themeParams = JSON.parse(hash.get('tgWebAppThemeParams') ?? '{}') as Record<string, string>;
    } catch {
      themeParams = {};
    }
    const launch = { initData, themeParams, platform: hash.get('tgWebAppPlatform') ?? 'unknown' };
    // A reload keeps the launch (Telegram gives the hash once); the tab's storage dies with the page.
    sessionStorage.setItem(STORE, JSON.stringify(launch));
    history.replaceState(null, '', location.pathname + location.search);
    return launch;
  }
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE) ?? 'null') as Launch | null;
    if (saved) return saved;
  } catch {
    /* nothing saved */
  }
  return { initData: '', themeParams: {}, platform: 'unknown' };
}

export const launch = readLaunch();

/** theme_params keys → CSS variables (--tg-bg-color …); the stylesheet has light and dark defaults. */
export function applyTheme(params: Record<string, string>): void {
  const root = document.documentElement;
  for (const [key, value] of Object.entries(params)) {
    if (/^#[0-9a-f]{3,8}$/i.test(value)) root.style.setProperty(`--tg-${key.replace(/_/g, '-')}`, value);
  }
  const bg = params.bg_color;
  if (bg && /^#[0-9a-f]{6}$/i.test(bg)) {
    const n = parseInt(bg.slice(1), 16);
    const luma = 0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
    root.dataset.scheme = luma < 128 ? 'dark' : 'light';
  }
}

function postEvent(eventType: string, eventData: unknown = {}): void {
  const w = window as unknown as {
    TelegramWebviewProxy?: { postEvent(type: string, data: string): void };
    external?: { notify?: (data: string) => void };
  };
  const message = JSON.stringify({ eventType, eventData });
  try {
    if (w.TelegramWebviewProxy) w.TelegramWebviewProxy.postEvent(eventType, JSON.stringify(eventData));
    else if (typeof w.external?.notify === 'function') w.external.notify(message);
    else if (window.parent !== window) window.parent.postMessage(message, 'https://web.telegram.org');
  } catch {
    /* outside Telegram: nothing to tell */
  }
}

function onEvent(eventType: string, eventData: unknown): void {
  if (eventType === 'theme_changed') {
    const params = (eventData as { theme_params?: Record<string, string> } | null)?.theme_params;
    if (params) applyTheme(params);
  }
}

export function startTelegram(): void {
  applyTheme(launch.themeParams);
  // Mobile clients call window.Telegram.WebView.receiveEvent; Telegram Web posts a message to the frame.
  const w = window as unknown as { Telegram?: { WebView?: { receiveEvent?: (t: string, d: unknown) => void } } };
  w.Telegram = { ...(w.Telegram ?? {}), WebView: { ...(w.Telegram?.WebView ?? {}), receiveEvent: onEvent } };
  window.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    try {
      const { eventType, eventData } = JSON.parse(event.data) as { eventType?: string; eventData?: unknown };
      if (eventType) onEvent(eventType, eventData);
    } catch {
      /* not ours */
    }
  });
  postEvent('web_app_ready');
  postEvent('web_app_expand');
  postEvent('web_app_request_theme');
}
