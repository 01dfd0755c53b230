// A name typed where a command asks for a NIP ("/kode anisa"): one button per matching employee runs the command
// for that employee's NIP, as if typed. The tap is checked exactly as the typed command is.
import { Markup } from 'telegraf';
import { buttonFamily, CALLBACK_DATA_MAX_BYTES, type ButtonFamily } from './codec.js';

/** The commands that take a NIP and answer a name with the matches. */
export type NipCommand = 'kode' | 'lepas' | 'usulkan' | 'cetak' | 'wakil';

export interface NipPick {
  nip: string;
  /** What followed the name in the typed command (the dates of /wakil), '' when nothing. */
  rest: string;
}

const family = (command: NipCommand): ButtonFamily<NipPick> =>
  buttonFamily<NipPick>(`nip-${command}`, {
    encode: (b) => (b.rest ? [b.nip, b.rest] : [b.nip]),
    decode: ([nip, ...rest]) => (nip !== undefined && /^\d{18}$/.test(nip) ? { nip, rest: rest.join(':') } : null),
  });

/** `nip-<command>:<nip>[:<rest>]`: one family per command, so each command's feature handles its own taps. */
export const nipPickButtons: Record<NipCommand, ButtonFamily<NipPick>> = {
  kode: family('kode'),
  lepas: family('lepas'),
  usulkan: family('usulkan'),
  cetak: family('cetak'),
  wakil: family('wakil'),
};

/** What the user would have typed after the command: the NIP, then the rest. */
export const pickedArgument = (pick: NipPick): string => (pick.rest ? `${pick.nip} ${pick.rest}` : pick.nip);

/** The command a pick runs, as the user would type it. */
export const pickedCommand = (command: NipCommand, pick: NipPick): string => `/${command} ${pickedArgument(pick)}`;

/**
 * One button per match ("Anisa Rahmawati", with the jabatan when two share a name), or none when the command's
 * rest does not fit in a button's data: the typed example stays the way on.
 */
export function nipPickKeyboard(command: NipCommand, matches: Array<{ nama: string; nip: string; jabatan: string }>, rest: string) {
  const fits = Buffer.byteLength(`nip-${command}:${'0'.repeat(18)}:${rest}`) <= CALLBACK_DATA_MAX_BYTES;
  if (!fits || matches.length === 0) return {};
  const named = (nama: string) => matches.filter((m) => m.nama === nama).length;
  const label = (m: { nama: string; jabatan: string }) => {
    const text = named(m.nama) > 1 ? `${m.nama} (${m.jabatan})` : m.nama;
    return text.length > 60 ? `${text.slice(0, 59)}…` : text;
  };
  return Markup.inlineKeyboard(matches.map((m) => [Markup.button.callback(label(m), nipPickButtons[command].encode({ nip: m.nip, rest }))]));
}
