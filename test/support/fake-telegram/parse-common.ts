// What the parse_mode parsers share: their result (plain text plus entities) and Telegram's error shape.
import { badRequest } from './http.js';
import type { TgMessageEntity } from './types.js';

export interface FormattedText {
  text: string;
  entities: TgMessageEntity[];
}

export const byteOffset = (s: string, i: number): number => Buffer.byteLength(s.slice(0, i), 'utf8');
export const cantParse = (why: string) => badRequest(`can't parse entities: ${why}`);
