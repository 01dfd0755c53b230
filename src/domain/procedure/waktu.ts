// The SOP's waktu (time standard): one working day in minutes and how "3 Hari 2 Jam" reads.
import { DomainError } from '../errors.js';

/**
 * One working day in minutes. 37.5 h/week over Monday–Friday (Perpres 21/2023 working hours, domain.md §5)
 * averages 7.5 h a day, so an SOP's "3 Hari" is 3 × 450 working minutes.
 */
export const WORKING_DAY_MINUTES = 450;

/** Parses an SOP's waktu ("3 Hari 2 Jam 35 Menit", "30 menit", "1 Jam") into working minutes. */
export function parseWaktu(text: string): number {
  const unitMinutes: Record<string, number> = { hari: WORKING_DAY_MINUTES, jam: 60, menit: 1 };
  const pattern = /(\d+)\s*(hari|jam|menit)\b/gi;
  let total = 0;
  let matched = '';
  for (const match of text.matchAll(pattern)) {
    total += Number(match[1]) * (unitMinutes[match[2]!.toLowerCase()] ?? 0);
    matched += match[0];
  }
  if (total <= 0 || matched.replace(/\s/g, '').length !== text.replace(/\s/g, '').length) {
    throw new DomainError('INVALID_WAKTU', `Cannot read SOP time "${text}"`, { text });
  }
  return total;
}
