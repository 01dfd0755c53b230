// Indonesian texts and keyboards of /cetak (printable SKP and evaluation documents) and /verifikasi.
import { printButtons } from '../buttons/print.js';
import { Markup } from 'telegraf';
import { documentLabel, type DocumentKind, type PrintableCase, type VerifiedDocument } from '../../app/documents.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { formatDateTime } from '../../domain/format.js';
import { formatNip } from '../../domain/nip.js';
import { escapeHtml } from './common.js';


const KIND_TITLES: Record<DocumentKind, string> = {
  skp: 'Sasaran Kinerja Pegawai (SKP)',
  evaluasi: 'Dokumen Evaluasi Kinerja Pegawai',
};

export const printTexts = {
  /** `others`: the viewer may print other employees' documents (atasan, pengelola, BKPP), so /cetak NIP is offered. */
  chooseDocument: (forName: string | null, others: boolean) =>
    `🖨 <b>Cetak dokumen</b>${forName ? ` — ${escapeHtml(forName)}` : ''}\n\nPilih dokumen yang akan dicetak. Bot akan mengirim berkas PDF ` +
    `yang siap dicetak dan ditandatangani basah.${others ? '\n\nDokumen pegawai tertentu: <code>/cetak NIP</code>' : ''}`,
  nothingToPrint:
    'Belum ada dokumen yang dapat dicetak.\n\nSKP dapat dicetak setelah disetujui/ditetapkan atasan, dan dokumen evaluasi bulanan ' +
    'setelah dinilai atasan. Ketik /status untuk melihat posisi pengajuan Bapak/Ibu.',
  nothingToPrintFor: (nama: string) =>
    `Belum ada dokumen yang dapat dicetak untuk <b>${escapeHtml(nama)}</b>: SKP dapat dicetak setelah disetujui/ditetapkan, ` +
    'dokumen evaluasi setelah dinilai atasan.',
  employeeNotVisible:
    'Mohon maaf, Bapak/Ibu tidak berwenang mencetak dokumen pegawai tersebut. Dokumen dapat dicetak oleh pegawai yang ' +
    'bersangkutan, atasannya, pengelola kepegawaian perangkat daerahnya, dan admin BKPP.',
  caseNotVisible: 'Mohon maaf, Bapak/Ibu tidak berwenang mencetak dokumen pengajuan ini.',
  notReady:
    'Dokumen ini belum dapat dicetak: SKP dapat dicetak setelah disetujui/ditetapkan, dokumen evaluasi setelah dinilai. ' +
    'Pengajuan yang sedang dikembalikan untuk perbaikan juga belum dapat dicetak.',
  notAvailable: 'Prosedur ini tidak memiliki dokumen cetak.',
  preparing: 'Menyiapkan dokumen PDF…',
  documentCaption: (kind: DocumentKind, period: string, nama: string, code: string) =>
    `📄 <b>${escapeHtml(documentLabel(kind, period))}</b>\n${escapeHtml(nama)}\n\n` +
    `Kode verifikasi: <code>${code}</code>\nCetak, tandatangani, lalu arsipkan sesuai SOP. ` +
    `Keaslian dokumen dapat diperiksa dengan <code>/verifikasi ${code}</code>.`,
  failed: 'Mohon maaf, dokumen gagal dibuat. Silakan coba lagi sebentar lagi.',
  verifyUsage:
    'Ketik kode verifikasi yang tercetak di bagian bawah dokumen, misalnya: <code>/verifikasi ABCD2345EF</code>',
  verifyUnknown: (input: string) =>
    `❌ Kode verifikasi <code>${escapeHtml(input.slice(0, 40))}</code> tidak dikenal.\n\n` +
    'Periksa kembali penulisannya (10 huruf/angka, tanpa angka 0 dan 1). Dokumen dengan kode yang tidak dikenal ' +
    'bukan dokumen yang dibuat oleh kinerja-bot.',
  verified: (d: VerifiedDocument, tz: AgencyTimeZone) => {
    if (d.kind === 'sertifikat') {
      const files = d.files.length > 0 ? d.files.map((f, i) => `${i + 1}. ${escapeHtml(f.name)}`) : ['Tidak ada berkas.'];
      return [
        '✅ <b>Dokumen asli kinerja-bot</b>',
        '',
        `Dokumen: Sertifikat ASN Berprestasi Tahun ${escapeHtml(d.period)}`,
        `Pegawai: <b>${escapeHtml(d.subjectNama)}</b> (NIP ${formatNip(d.subjectNip)})`,
        `Dibuat: ${formatDateTime(d.createdAt, tz)}`,
        `SHA-256 berkas: <code>${d.sha256}</code>`,
        '',
        '<b>Berkas data usulan:</b>',
        ...files,
      ].join('\n');
    }
    const lines = [
      '✅ <b>Dokumen asli kinerja-bot</b>',
      '',
      `Dokumen: ${KIND_TITLES[d.kind]}, ${escapeHtml(documentLabel(d.kind, d.period))}`,
      `Pegawai: <b>${escapeHtml(d.subjectNama)}</b> (NIP ${formatNip(d.subjectNip)})`,
      ...(d.revision !== null ? [`Revisi: ke-${d.revision}`] : []),
      `Dibuat: ${formatDateTime(d.createdAt, tz)}${d.createdByNama ? ` oleh ${escapeHtml(d.createdByNama)}` : ''}`,
      `SHA-256 berkas: <code>${d.sha256}</code>`,
      '',
      d.currentVersion === d.caseVersion
        ? 'Dokumen ini sesuai dengan keadaan pengajuan saat ini.'
        : '⚠️ Pengajuan sudah berubah sejak dokumen ini dibuat. ' +
          'Isinya tetap sah untuk versi yang tercetak; ketik /cetak untuk cetakan terbaru.',
    ];
    return lines.join('\n');
  },
};

function buttonLabel(item: PrintableCase, viewerId: string): string {
  const label = `📄 ${documentLabel(item.kind, item.period)}`;
  // Own documents need no name; others' do, shortened so the button stays readable on a phone.
  if (item.subjectId === viewerId) return label;
  const name = item.subjectNama.length > 28 ? `${item.subjectNama.slice(0, 27)}…` : item.subjectNama;
  return `${label} · ${name}`;
}

export const printKeyboards = {
  choose: (items: PrintableCase[], viewerId: string) =>
    Markup.inlineKeyboard(items.map((item) => [Markup.button.callback(buttonLabel(item, viewerId), printButtons.encode({ caseId: item.caseId }))])),
};
