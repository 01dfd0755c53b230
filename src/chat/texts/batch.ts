// Indonesian texts of the steps done in bulk (BATCH_ACTIONS): the summary that announces what waits for the holder,
// and /kumpulkan for BKPP receiving the SKP the pengelola forwarded.
import { escapeHtml } from './common.js';

export interface BatchGroup {
  procedureTitle: string;
  stepUraian: string;
  action: string;
  count: number;
}

export const batchTexts = {
  /**
   * One message for everything one may do in bulk, instead of a request per case. `holder`: the requests went to
   * them, so /tugas opens each too.
   */
  summary: (groups: readonly BatchGroup[], options: { holder: boolean }) => {
    const total = groups.reduce((n, g) => n + g.count, 0);
    const receiving = groups.every((g) => g.action === 'receive');
    const head = receiving ? `📥 <b>${total} SKP diteruskan kepada BKPP</b>` : `📦 <b>${total} SKP siap dihimpun dan diteruskan ke BKPP</b>`;
    const lines = groups.map((g) => `• ${escapeHtml(g.procedureTitle)}: ${escapeHtml(g.stepUraian)} — <b>${g.count}</b>`);
    const how =
      `Ketik /kumpulkan untuk ${receiving ? 'menerimanya' : 'meneruskannya'} sekaligus` +
      (options.holder ? ', atau /tugas untuk membukanya satu per satu.' : '.');
    return `${head}\n\n${lines.join('\n')}\n\n${how}`;
  },
  receiveNone: 'Tidak ada SKP yang menunggu diterima BKPP.',
  receiveHeading: (n: number) => `<b>SKP yang diteruskan kepada BKPP (${n})</b>\nCentang yang akan diterima, atau tekan <b>Terima semua</b>.`,
  receiveDone: (n: number, skipped: number) => `📥 ${n} SKP diterima.${skipped > 0 ? ` ${skipped} tidak diterima karena sudah diproses.` : ''}`,
};
