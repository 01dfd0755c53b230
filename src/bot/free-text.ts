// What a message that no feature took most likely means: a command typed without its slash or misspelt, a
// greeting, thanks. The fallback answers each with the next step instead of a generic hint.
import { commandsFor, type CommandHelp, type RoleName } from '../chat/texts/common.js';

export type FreeText = { kind: 'command'; command: CommandHelp } | { kind: 'greeting' } | { kind: 'thanks' } | { kind: 'acknowledgement' } | { kind: 'other' };

// "P" alone is how many people ping a chat; "tes" checks the bot is there.
const GREETING = /^(halo+|hallo|helo|hai+|hi|hello|selamat (pagi|siang|sore|malam)|pagi|siang|sore|malam|assalamu.?alaikum|salam|permisi|p|ping|tes|test)\b/;
const THANKS = /^(terima ?kasih|makasih|trims|thanks|thank you|thx|tq)\b/;
const ACKNOWLEDGEMENT = /^(ok|oke|okay|okey|baik|siap|sip|noted)\b/;

/** Reads a short message: the words that start it decide, longer texts are left alone ('other'). */
export function classifyFreeText(text: string, roles: RoleName[]): FreeText {
  const words = text.trim().toLowerCase().replace(/[.,!?🙏👍]+/gu, ' ').split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 6) return { kind: 'other' };
  const phrase = words.join(' ');
  const first = words[0]!;
  // "skp", "realisasi 2026-05", "Status": the command without its slash (a long sentence is not a command).
  const command = words.length <= 3 ? commandsFor(roles).find((c) => c.command === first) : undefined;
  if (command) return { kind: 'command', command };
  if (THANKS.test(phrase)) return { kind: 'thanks' };
  if (GREETING.test(phrase)) return { kind: 'greeting' };
  if (ACKNOWLEDGEMENT.test(phrase) && words.length <= 3) return { kind: 'acknowledgement' };
  return { kind: 'other' };
}

/** The command a mistyped one most likely meant ('/realsasi' → realisasi, '/stat' → status), among the user's own. */
export function suggestCommand(typed: string, roles: RoleName[]): CommandHelp | null {
  const name = typed.replace(/^\//, '').split('@')[0]!.toLowerCase();
  if (name.length < 2) return null;
  let best: { command: CommandHelp; distance: number } | null = null;
  for (const command of commandsFor(roles)) {
    const prefix = name.length >= 3 && (command.command.startsWith(name) || name.startsWith(command.command));
    const distance = prefix ? 1 : editDistance(name, command.command);
    const allowed = name.length <= 4 ? 1 : 2;
    if (distance <= allowed && (!best || distance < best.distance)) best = { command, distance };
  }
  return best?.command ?? null;
}

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
