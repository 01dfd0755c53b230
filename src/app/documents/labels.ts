// How a document is titled, named in chat and named as a file.
import { periodKeyLabel } from '../../domain/period.js';
import { nipDigits } from '../../domain/nip.js';
import type { DocumentKind } from './printable.js';
import type { DocumentData } from './read-model.js';

export const DOCUMENT_TITLES: Record<DocumentKind, string> = {
  skp: 'SASARAN KINERJA PEGAWAI',
  evaluasi: 'DOKUMEN EVALUASI KINERJA PEGAWAI',
};

/** 'SKP 2026', 'Evaluasi Kinerja Maret 2026', 'Evaluasi Kinerja Triwulan II 2026': how chat messages name a document. */
export function documentLabel(kind: DocumentKind, period: string): string {
  if (kind === 'skp') return `SKP ${period.slice(0, 4)}`;
  return /^\d{4}$/.test(period) ? `Evaluasi Kinerja Tahunan ${period}` : `Evaluasi Kinerja ${periodKeyLabel(period)}`;
}

/** People see the revision (how many times it was submitted), never the row version, so every reader gets one name. */
export function documentFileName(data: Pick<DocumentData, 'kind' | 'period' | 'pegawai' | 'revision'>): string {
  const who = nipDigits(data.pegawai.nip).replace(/[^0-9A-Za-z]/g, '') || 'pegawai';
  const prefix = data.kind === 'skp' ? 'SKP' : 'Evaluasi';
  return `${prefix}_${data.period.replace(/[^0-9A-Za-z-]/g, '')}_${who}_revisi-${data.revision}.pdf`;
}
