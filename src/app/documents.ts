// Printable documents (Cetak SKP, Dokumen Evaluasi Kinerja Pegawai): the public names of src/app/documents/, one
// file per concern (which cases print, labels, read model, PDF table engine and page layout, codes, storage).
export {
  documentKindFor, printableStepNos, isPrintable, listPrintableCases, type DocumentKind, type ProcedureLookup,
  type DocumentDeps, type PrintableCase,
} from './documents/printable.js';
export { DOCUMENT_TITLES, documentLabel, documentFileName } from './documents/labels.js';
export {
  readRhkList, loadDocumentData, periodRange, type DocumentParty, type IndikatorLine, type RhkLine,
  type RealisasiLine, type TrailLine, type DocumentData, type HasilKerjaLine, type EvaluationSheet,
} from './documents/read-model.js';
export { pdfSafe } from './documents/pdf-table.js';
export { signingPlace, isPppk, renderDocumentPdf, type RenderOptions } from './documents/layout.js';
export {
  VERIFICATION_CODE_LENGTH, newVerificationCode, normalizeVerificationCode, verifyDocument, type VerifiedDocument,
} from './documents/verification.js';
export { sha256, storePdf, readStored } from './documents/storage.js';
export { renderCaseDocument, type RenderedDocument } from './documents/produce.js';
