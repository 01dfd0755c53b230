// Broadcast ids in callback data: 32 hex digits instead of a dashed UUID.

/** Callback data carries the broadcast id as 32 hex digits (Telegram allows 64 bytes). */
export function compactId(uuid: string): string {
  return uuid.replace(/-/g, '');
}

export function expandId(compact: string): string | null {
  if (!/^[0-9a-f]{32}$/.test(compact)) return null;
  return `${compact.slice(0, 8)}-${compact.slice(8, 12)}-${compact.slice(12, 16)}-${compact.slice(16, 20)}-${compact.slice(20)}`;
}
