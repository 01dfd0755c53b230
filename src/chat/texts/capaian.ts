// Indonesian texts and keyboards of /capaian: the capaian kinerja organisasi per perangkat daerah and period.
import { Markup } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { ORG_RATINGS } from '../../app/annual-evaluation.js';
import { CURVE_RULE_TEXT, ORG_RATING_LABELS, type OrgRating } from '../../domain/predikat.js';
import { clipText, escapeHtml } from './common.js';
import { capaianButtons } from '../buttons/capaian.js';
import { periodLabel } from './approvals.js';



export function perangkatDaerahKeyboard(period: string, items: Array<{ id: string; name: string; rating: OrgRating | null }>): InlineKeyboardMarkup {
  return Markup.inlineKeyboard(
    items.map((pd) => [
      Markup.button.callback(`${clipText(pd.name, 40)} — ${pd.rating ? ORG_RATING_LABELS[pd.rating] : 'belum'}`, capaianButtons.encode({ op: 'choose', period, perangkatDaerahId: pd.id })),
    ]),
  ).reply_markup;
}

export function ratingChoiceKeyboard(period: string, pdId: string): InlineKeyboardMarkup {
  return Markup.inlineKeyboard(ORG_RATINGS.map((r) => [Markup.button.callback(ORG_RATING_LABELS[r], capaianButtons.encode({ op: 'set', period, perangkatDaerahId: pdId, rating: r }))])).reply_markup;
}

export const capaianTexts = {
  usage:
    'Gunakan <code>/capaian</code> untuk tahun berjalan (bulan Januari: tahun lalu), <code>/capaian 2026</code> untuk satu tahun, ' +
    'atau <code>/capaian 2026-03</code>, <code>/capaian 2026-T2</code>, <code>/capaian 2026-S1</code> untuk satu bulan, triwulan atau semester.',
  badPeriod: (value: string) =>
    `"${escapeHtml(value)}" bukan periode yang dikenali. Gunakan tahun <code>YYYY</code> atau periode <code>YYYY-MM</code>, <code>YYYY-T2</code>, <code>YYYY-S1</code>, misalnya <code>/capaian 2026</code>.`,
  notAllowed: 'Mohon maaf, capaian kinerja organisasi ditetapkan oleh admin BKPP.',
  nothingToRate: 'Tidak ada perangkat daerah yang capaiannya dapat Bapak/Ibu tetapkan.',
  unknownUnit: (typed: string) =>
    `Tidak ada perangkat daerah bernama "${escapeHtml(typed)}" yang capaiannya dapat Bapak/Ibu tetapkan. Ketik /capaian untuk memilih dari daftarnya.`,
  severalUnits: (typed: string, names: string[]) =>
    `Ada ${names.length} perangkat daerah yang cocok dengan "${escapeHtml(typed)}". Ketuk salah satu di bawah ini.`,
  list: (period: string) =>
    `🏛️ <b>Capaian kinerja organisasi — ${escapeHtml(periodLabel(period))}</b>\n\n` +
    'Pilih perangkat daerah untuk menetapkan atau mengubah capaiannya. Capaian dapat diubah sampai predikat pertama periode itu dikonfirmasi.',
  choose: (pdName: string, period: string, current: OrgRating | null) =>
    `Capaian kinerja organisasi <b>${escapeHtml(pdName)}</b> — ${escapeHtml(periodLabel(period))}\n` +
    `Saat ini: <b>${current ? ORG_RATING_LABELS[current] : 'belum ditetapkan'}</b>\n\nPilih capaian:`,
  saved: (pdName: string, period: string, rating: OrgRating, previous: OrgRating | null, changed: boolean) =>
    `✅ Capaian kinerja organisasi <b>${escapeHtml(pdName)}</b> — ${escapeHtml(periodLabel(period))}: <b>${ORG_RATING_LABELS[rating]}</b>` +
    (changed ? (previous ? ` (sebelumnya ${ORG_RATING_LABELS[previous]})` : '') : ' (tidak berubah)') +
    `.\nPola distribusi: ${CURVE_RULE_TEXT[rating]}.`,
};
