// Printable documents (Cetak SKP, Dokumen Evaluasi Kinerja Pegawai): data from Postgres, PDF via pdfkit, verification codes.
//
// Glossary: pejabat penilai (PP) = the direct atasan who assesses; atasan pejabat penilai (APP) = the PP's atasan;
// RHK = rencana hasil kerja; IKI = indikator kinerja individu; bukti dukung = evidence; BerAKHLAK = the seven ASN
// core values the perilaku kerja part of the SKP lists.
import { ASPEK_LABELS, STEP_VERBS } from '../domain/vocabulary.js';
import { createHash, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type PDFDocumentClass from 'pdfkit';
import { and, asc, desc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { lazyRequire } from '../lazy-require.js';
import type { AppConfig } from '../config.js';
import type { Db, DbOrTx } from '../db/client.js';
import { findEmployeeById, type EmployeeProfile } from './repositories/employees.js';
import { caseEvents, cases, documents, employees, evidenceFiles, instansi, orgRatings, units } from '../db/schema/index.js';
import type { AgencyTimeZone } from '../domain/calendar.js';
import { DomainError } from '../domain/errors.js';
import { formatDate, formatShortDateTime } from '../domain/format.js';
import { documentPeriodLabel, firstDay, isPeriodKey, lastDay, periodKeyLabel, periodOfKey } from '../domain/period.js';
import { formatNip, nipDigits, parseNip } from '../domain/nip.js';
import { CURVE_RULE_TEXT, ORG_RATING_LABELS, PREDIKAT_LABELS, RATING_LABELS, predikatOf, type OrgRating, type Predikat, type Rating } from '../domain/predikat.js';
import type { Procedure, StepAction } from '../domain/procedure.js';
import { templates } from '../domain/templates/index.js';
import type { AccessPolicy } from './access-policy.js';
import type { ProcedureRegistry } from './procedures.js';

export type DocumentKind = 'skp' | 'evaluasi';

/** The procedures this module needs to know: by code, and all of them (to find SKP procedures by purpose). */
export type ProcedureLookup = Pick<ProcedureRegistry, 'get' | 'all'>;

export interface DocumentDeps {
  db: Db;
  procedures: ProcedureLookup;
  config: AppConfig;
  access: Pick<AccessPolicy, 'require'>;
}

/** Which document a procedure prints; null for procedures without one (e.g. the ASN Berprestasi nomination). */
export function documentKindFor(procedure: Pick<Procedure, 'purpose'>): DocumentKind | null {
  switch (procedure.purpose) {
    case 'skp_annual':
      return 'skp';
    case 'monthly_assessment':
    case 'performance_measurement':
    case 'annual_evaluation':
      return 'evaluasi';
    default:
      return null;
  }
}

/** The decision after which a document exists: the SKP is approved/established, the month is rated. */
const DECISION_ACTIONS: Record<DocumentKind, readonly StepAction[]> = {
  skp: ['verify', 'establish'],
  evaluasi: ['rate'],
};

/**
 * Step numbers at which an active case has a printable document: every step after the procedure's last
 * decision step (for Balangan the print step itself, for Banyuwangi collect and receive).
 */
export function printableStepNos(procedure: Procedure): number[] {
  const kind = documentKindFor(procedure);
  if (!kind) return [];
  let lastDecision = -1;
  procedure.steps.forEach((step, index) => {
    if (DECISION_ACTIONS[kind].includes(step.action)) lastDecision = index;
  });
  return procedure.steps.slice(lastDecision + 1).map((step) => step.no);
}

/** A returned case is being corrected and a cancelled one has no valid content: neither prints. */
export function isPrintable(procedure: Procedure, state: { status: string; stepNo: number }): boolean {
  if (!documentKindFor(procedure)) return false;
  if (state.status === 'completed') return true;
  return state.status === 'active' && printableStepNos(procedure).includes(state.stepNo);
}

// ---------------------------------------------------------------------------------------------------------
// The data a document prints

export interface DocumentParty {
  nama: string;
  nip: string;
  /** Pangkat/golongan ruang; null when the roster gave none (printed as '-'). */
  pangkat: string | null;
  jabatan: string;
  unit: string;
}

export interface IndikatorLine {
  aspek: string | null;
  text: string;
  target: string | null;
}

export interface RhkLine {
  id: string | null;
  jenis: 'utama' | 'tambahan';
  text: string;
  rhkAtasan: string | null;
  indikator: IndikatorLine[];
  /** E.g. that the RHK summarises an SKP draft uploaded as a PDF. */
  note: string | null;
}

export interface RealisasiLine {
  jenis: 'utama' | 'tambahan' | null;
  rhk: string;
  indikator: IndikatorLine[];
  realisasi: string;
  buktiCount: number;
  buktiNames: string[];
}

export interface TrailLine {
  at: Date;
  actor: string;
  actorNip: string | null;
  action: string;
  revision: number;
}

export interface DocumentData {
  kind: DocumentKind;
  caseId: string;
  caseVersion: number;
  revision: number;
  status: string;
  stepNo: number;
  /** 'YYYY' or 'YYYY-MM'. */
  period: string;
  instansiName: string;
  timeZone: AgencyTimeZone;
  procedure: { code: string; title: string; sopNumber: string | null };
  pegawai: DocumentParty;
  pejabatPenilai: DocumentParty | null;
  atasanPejabatPenilai: DocumentParty | null;
  /** The decision that made the document (established, approved, rated), when it happened. */
  decision: { label: string; at: Date; by: string } | null;
  rhk: RhkLine[];
  realisasi: RealisasiLine[];
  /** Ekspektasi khusus pimpinan per BerAKHLAK value key, when the SKP carries them. */
  ekspektasiKhusus: Record<string, string>;
  rating: { hasilKerja: Rating; perilaku: Rating; catatan: string | null } | null;
  predikat: Predikat | null;
  late: boolean;
  trail: TrailLine[];
  /** The evaluation sheet of Anak Lampiran 4 (evaluation documents; absent on the SKP). */
  evaluation?: EvaluationSheet;
}

/** One RHK on the evaluation sheet: its realisation based on bukti dukung and the umpan balik berkelanjutan. */
export interface HasilKerjaLine {
  jenis: 'utama' | 'tambahan';
  rhk: string;
  indikator: IndikatorLine[];
  realisasi: string;
  umpanBalik: string | null;
}

export interface EvaluationSheet {
  /** The annual evaluation (PERIODE: AKHIR) rather than a periodic one. */
  annual: boolean;
  /** Periode penilaian as local dates 'YYYY-MM-DD'. */
  from: string;
  to: string;
  capaianOrganisasi: OrgRating | null;
  hasilKerja: HasilKerjaLine[];
  /** Umpan balik per BerAKHLAK value key. */
  umpanBalikPerilaku: Record<string, string>;
  /** For the annual evaluation: each period's predikat, as the pejabat penilai saw them. */
  periods: Array<{ period: string; predikat: Predikat | null }>;
}

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

// ---------------------------------------------------------------------------------------------------------
// Reading the case from Postgres

/** Case events that change the case (and bump its version); others (reminders, reassignments) are not printed. */
const TRANSITION_ACTIONS = ['start', 'complete', 'return', 'resubmit', 'cancel'];

const DECISION_LABELS: Partial<Record<StepAction, string>> = { verify: 'Disetujui', establish: 'Ditetapkan', rate: 'Dinilai' };

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function asText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** A target may be typed text ("12 laporan"), a number, or { nilai|value, satuan|unit }. */
function targetText(value: unknown): string | null {
  const plain = asText(value);
  if (plain !== null) return plain;
  const r = asRecord(value);
  if (!r) return null;
  const amount = asText(r.nilai ?? r.value ?? r.jumlah);
  const unit = asText(r.satuan ?? r.unit);
  return [amount, unit].filter(Boolean).join(' ') || null;
}

function indikatorOf(item: Record<string, unknown>): IndikatorLine[] {
  const list = item.indikator ?? item.iki ?? item.indicators;
  if (!Array.isArray(list)) return [];
  const lines: IndikatorLine[] = [];
  for (const raw of list) {
    const r = asRecord(raw);
    const text = r ? asText(r.text ?? r.indikator ?? r.nama ?? r.uraian) : asText(raw);
    if (!text) continue;
    const aspek = r ? asText(r.aspek) : null;
    lines.push({ aspek: aspek ? ((ASPEK_LABELS as Record<string, string>)[aspek.toLowerCase()] ?? aspek) : null, text, target: r ? targetText(r.target) : null });
  }
  return lines;
}

/**
 * The RHK list as the SKP feature stores it ({ id, jenis, text, indikator: [{ aspek, text, target }], rhkAtasanId |
 * rhkAtasan }), read tolerantly: documents must print whatever a past version of the entry flow saved.
 */
export function readRhkList(value: unknown, atasanRhkText: (id: string) => string | null = () => null): RhkLine[] {
  if (!Array.isArray(value)) return [];
  const lines: RhkLine[] = [];
  for (const raw of value) {
    const item = asRecord(raw);
    const text = item ? asText(item.text) : null;
    if (!item || !text) continue;
    const atasanField = item.rhkAtasan ?? item.intervensi;
    const atasanId = asText(item.rhkAtasanId);
    const rhkAtasan =
      asText(item.rhkAtasanText) ??
      asText(atasanField) ??
      asText(asRecord(atasanField)?.text) ??
      (atasanId ? atasanRhkText(atasanId) : null);
    lines.push({
      id: asText(item.id),
      jenis: item.jenis === 'tambahan' ? 'tambahan' : 'utama',
      text,
      rhkAtasan,
      indikator: indikatorOf(item),
      note: item.source === 'pdf' ? 'Ringkasan draf SKP dari e-Kinerja (berkas PDF terlampir pada pengajuan)' : null,
    });
  }
  return lines;
}

function partyOf(profile: EmployeeProfile | null): DocumentParty | null {
  return profile
    ? { nama: profile.nama, nip: profile.nip, pangkat: profile.pangkat, jabatan: profile.jabatan, unit: profile.unitPath }
    : null;
}

async function loadInstansi(db: DbOrTx): Promise<{ name: string; timeZone: AgencyTimeZone }> {
  const [row] = await db.select().from(instansi).where(eq(instansi.id, 1));
  return { name: row?.name ?? '', timeZone: (row?.timeZone ?? 'Asia/Jakarta') as AgencyTimeZone };
}

function skpProcedureCodes(procedures: ProcedureLookup): string[] {
  return procedures.all().filter((p) => p.purpose === 'skp_annual').map((p) => p.code);
}

/** The subject's SKP case of a year: the completed one if any, else the most recently changed. */
async function findSkpCase(db: DbOrTx, procedures: ProcedureLookup, subjectId: string, year: string) {
  const codes = skpProcedureCodes(procedures);
  if (codes.length === 0) return null;
  const [row] = await db
    .select({ id: cases.id, data: cases.data })
    .from(cases)
    .where(and(eq(cases.subjectId, subjectId), eq(cases.period, year), inArray(cases.procedureCode, codes)))
    .orderBy(sql`(${cases.status} = 'completed') desc`, desc(cases.updatedAt))
    .limit(1);
  return row ?? null;
}

const defaultProcedures: ProcedureLookup = {
  get: (code) => {
    const proc = Object.hasOwn(templates, code) ? templates[code] : undefined;
    if (!proc) throw new DomainError('UNKNOWN_PROCEDURE', `No procedure template "${code}"`, { code });
    return proc;
  },
  all: () => Object.values(templates),
};

/** Everything a document of this case prints, read from Postgres (no rendering, no side effects). */
export async function loadDocumentData(
  db: DbOrTx,
  caseId: string,
  options: { procedures?: ProcedureLookup } = {},
): Promise<DocumentData> {
  const procedures = options.procedures ?? defaultProcedures;
  const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
  if (!row) throw new DomainError('CASE_NOT_FOUND');
  const proc = procedures.get(row.procedureCode);
  const kind = documentKindFor(proc);
  if (!kind) throw new DomainError('DOCUMENT_NOT_AVAILABLE', `Procedure ${proc.code} has no printable document`);
  const place = await loadInstansi(db);

  const events = await db
    .select({
      at: caseEvents.at,
      action: caseEvents.action,
      actorId: caseEvents.actorId,
      fromStepNo: caseEvents.fromStepNo,
      revision: caseEvents.revision,
      comment: caseEvents.comment,
      onBehalf: caseEvents.onBehalf,
      actorNama: employees.nama,
      actorNip: employees.nip,
    })
    .from(caseEvents)
    .leftJoin(employees, eq(employees.id, caseEvents.actorId))
    .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.action, TRANSITION_ACTIONS)))
    .orderBy(asc(caseEvents.id));
  const stepByNo = new Map(proc.steps.map((s) => [s.no, s]));
  const completions = events.filter((e) => e.action === 'complete' && e.fromStepNo !== null);

  // The people who actually decided sign the document; the roster fills in parties who have not acted yet.
  const lastActorOn = (actor: string) =>
    completions.filter((e) => stepByNo.get(e.fromStepNo!)?.actor === actor && !e.onBehalf && e.actorId).at(-1)?.actorId ?? null;
  const subject = await findEmployeeById(db, row.subjectId);
  if (!subject) throw new DomainError('CASE_NOT_FOUND', 'The subject of the case no longer exists');
  const ppId = lastActorOn('atasan') ?? subject.atasanId;
  const pp = ppId ? await findEmployeeById(db, ppId) : null;
  const appId = lastActorOn('atasan_atasan') ?? pp?.atasanId ?? null;
  const app = appId ? await findEmployeeById(db, appId) : null;

  const decisionEvent = completions.filter((e) => DECISION_ACTIONS[kind].includes(stepByNo.get(e.fromStepNo!)?.action as StepAction)).at(-1);
  const decision = decisionEvent
    ? {
        label: DECISION_LABELS[stepByNo.get(decisionEvent.fromStepNo!)!.action] ?? 'Disetujui',
        at: decisionEvent.at,
        by: decisionEvent.actorNama ?? '-',
      }
    : null;

  const trail: TrailLine[] = events.map((e) => {
    const step = e.fromStepNo !== null ? stepByNo.get(e.fromStepNo) : undefined;
    let action: string;
    switch (e.action) {
      case 'start':
        action = 'Membuka pengajuan';
        break;
      case 'complete':
        action = step ? STEP_VERBS[step.action] : 'Menyelesaikan langkah';
        break;
      case 'return':
        action = `Mengembalikan untuk diperbaiki${e.comment ? `: "${e.comment}"` : ''}`;
        break;
      case 'resubmit':
        action = 'Mengajukan kembali setelah perbaikan';
        break;
      default:
        action = `Membatalkan${e.comment ? `: "${e.comment}"` : ''}`;
    }
    if (e.onBehalf) action += ' (atas nama pemegang tugas)';
    return { at: e.at, actor: e.actorNama ?? 'Sistem', actorNip: e.actorNip, action, revision: e.revision };
  });

  const data = row.data;
  let rhk: RhkLine[] = [];
  let realisasi: RealisasiLine[] = [];
  if (kind === 'skp') {
    const needsAtasanRhk = Array.isArray(data.rhk) && data.rhk.some((i) => asRecord(i)?.rhkAtasanId && !asRecord(i)?.rhkAtasanText);
    const atasanRhk = new Map<string, string>();
    if (needsAtasanRhk && pp) {
      const atasanCase = await findSkpCase(db, procedures, pp.id, row.period);
      for (const line of readRhkList(atasanCase?.data.rhk)) if (line.id) atasanRhk.set(line.id, line.text);
    }
    rhk = readRhkList(data.rhk, (id) => atasanRhk.get(id) ?? null);
  } else {
    const skp = await findSkpCase(db, procedures, row.subjectId, row.period.slice(0, 4));
    const skpRhk = new Map(readRhkList(skp?.data.rhk).flatMap((l) => (l.id ? [[l.id, l] as const] : [])));
    const files = await db
      .select({ purpose: evidenceFiles.purpose, fileId: evidenceFiles.telegramFileId, fileName: evidenceFiles.fileName })
      .from(evidenceFiles)
      .where(eq(evidenceFiles.caseId, caseId));
    const nameByFileId = new Map(files.map((f) => [f.fileId, f.fileName]));
    for (const raw of Array.isArray(data.realisasi) ? data.realisasi : []) {
      const item = asRecord(raw);
      if (!item) continue;
      const rhkId = asText(item.rhkId) ?? '';
      const ofSkp = skpRhk.get(rhkId);
      const bukti = Array.isArray(item.bukti) ? item.bukti.map(asRecord).filter((b): b is Record<string, unknown> => b !== null) : [];
      // Evidence rows received for this RHK count too when the realisation lists none (older drafts).
      const stored = files.filter((f) => f.purpose === rhkId);
      const names =
        bukti.length > 0
          ? bukti.map((b) => asText(b.name) ?? (b.fileId ? nameByFileId.get(String(b.fileId)) : null) ?? asText(b.url) ?? 'berkas')
          : stored.map((f) => f.fileName ?? 'berkas');
      realisasi.push({
        jenis: ofSkp?.jenis ?? null,
        rhk: ofSkp?.text ?? asText(item.rhkText) ?? asText(item.text) ?? rhkId,
        indikator: ofSkp?.indikator ?? [],
        realisasi: asText(item.realisasi) ?? '-',
        buktiCount: names.length,
        buktiNames: names,
      });
    }
  }

  const ratingRaw = asRecord(data.rating);
  const isRating = (v: unknown): v is Rating => v === 'di_atas' || v === 'sesuai' || v === 'di_bawah';
  const rating =
    ratingRaw && isRating(ratingRaw.hasilKerja) && isRating(ratingRaw.perilaku)
      ? { hasilKerja: ratingRaw.hasilKerja, perilaku: ratingRaw.perilaku, catatan: asText(ratingRaw.catatan) }
      : null;
  const predikat = (row.predikat as Predikat | null) ?? (rating ? predikatOf(rating.hasilKerja, rating.perilaku) : null);
  const ekspektasi = asRecord(data.ekspektasiKhusus) ?? {};
  const evaluation =
    kind === 'evaluasi'
      ? await loadEvaluationSheet(db, procedures, { row, proc, subject, realisasi })
      : undefined;

  return {
    kind,
    caseId: row.id,
    caseVersion: row.version,
    revision: row.revision,
    status: row.status,
    stepNo: row.stepNo,
    period: row.period,
    instansiName: place.name,
    timeZone: place.timeZone,
    procedure: { code: proc.code, title: proc.title, sopNumber: proc.source.sopNumber },
    pegawai: partyOf(subject)!,
    pejabatPenilai: partyOf(pp),
    atasanPejabatPenilai: partyOf(app),
    decision,
    rhk,
    realisasi,
    ekspektasiKhusus: Object.fromEntries(
      Object.entries(ekspektasi).flatMap(([key, value]): Array<[string, string]> => {
        const text = asText(value);
        return text ? [[key, text]] : [];
      }),
    ),
    rating,
    predikat: kind === 'evaluasi' ? predikat : null,
    late: row.late,
    trail,
    ...(evaluation ? { evaluation } : {}),
  };
}

/** The first and last local date a period covers ('2026' → the year, '2026-03' → March, '2026-T2' → April–June). */
export function periodRange(period: string): { from: string; to: string } {
  if (/^\d{4}$/.test(period)) return { from: `${period}-01-01`, to: `${period}-12-31` };
  if (!isPeriodKey(period)) return { from: period, to: period };
  const p = periodOfKey(period);
  return { from: firstDay(p), to: lastDay(p) };
}

/** Umpan balik per key (RHK id, BerAKHLAK value) as the rating stores it: `rating.umpanBalik.{rhk,perilaku}`. */
function feedbackMap(value: unknown): Record<string, string> {
  const record = asRecord(value) ?? {};
  return Object.fromEntries(Object.entries(record).flatMap(([k, v]): Array<[string, string]> => (asText(v) ? [[k, asText(v)!]] : [])));
}

async function loadEvaluationSheet(
  db: DbOrTx,
  procedures: ProcedureLookup,
  input: { row: typeof cases.$inferSelect; proc: Procedure; subject: EmployeeProfile; realisasi: RealisasiLine[] },
): Promise<EvaluationSheet> {
  const { row, proc, subject } = input;
  const annual = proc.purpose === 'annual_evaluation';
  const { from, to } = periodRange(row.period);
  const [org] = await db
    .select({ rating: orgRatings.rating })
    .from(orgRatings)
    .where(and(eq(orgRatings.perangkatDaerahId, subject.perangkatDaerahId), eq(orgRatings.period, row.period)));
  const rating = asRecord(row.data.rating);
  const umpanBalik = asRecord(rating?.umpanBalik) ?? {};
  const rhkFeedback = feedbackMap(umpanBalik.rhk);
  const sheet: EvaluationSheet = {
    annual,
    from,
    to,
    capaianOrganisasi: org?.rating ?? null,
    hasilKerja: [],
    umpanBalikPerilaku: feedbackMap(umpanBalik.perilaku),
    periods: [],
  };
  if (!annual) {
    const skp = await findSkpCase(db, procedures, row.subjectId, row.period.slice(0, 4));
    const ids = new Map(readRhkList(skp?.data.rhk).map((l) => [l.text, l.id]));
    sheet.hasilKerja = input.realisasi.map((r) => ({
      jenis: r.jenis ?? 'utama',
      rhk: r.rhk,
      indikator: r.indikator,
      realisasi: r.buktiCount > 0 ? `${r.realisasi} (bukti dukung: ${r.buktiCount} berkas)` : r.realisasi,
      umpanBalik: rhkFeedback[ids.get(r.rhk) ?? ''] ?? null,
    }));
    return sheet;
  }
  // The year: the SKP's RHK, each with the realisation reported month by month.
  const year = row.period.slice(0, 4);
  const skp = await findSkpCase(db, procedures, row.subjectId, year);
  const monthlyCodes = procedures.all().filter((p) => p.periodKind === 'monthly' && p.purpose !== 'award').map((p) => p.code);
  const months =
    monthlyCodes.length === 0
      ? []
      : await db
          .select({ period: cases.period, data: cases.data, predikat: cases.predikat, status: cases.status, submittedAt: cases.submittedAt })
          .from(cases)
          .where(and(eq(cases.subjectId, row.subjectId), sql`${cases.period} like ${`${year}-%`}`, inArray(cases.procedureCode, monthlyCodes)))
          .orderBy(asc(cases.period), desc(cases.createdAt));
  const seen = new Set<string>();
  const latest = months.filter((m) => (seen.has(m.period) ? false : (seen.add(m.period), true)));
  sheet.periods = latest.map((m) => ({ period: m.period, predikat: m.status === 'cancelled' ? null : ((m.predikat as Predikat | null) ?? null) }));
  sheet.hasilKerja = readRhkList(skp?.data.rhk).map((line) => {
    const reported = latest
      .filter((m) => m.status !== 'cancelled' && m.submittedAt !== null)
      .flatMap((m) => {
        const items = Array.isArray(m.data.realisasi) ? m.data.realisasi.map(asRecord) : [];
        const item = items.find((i) => i && asText(i.rhkId) === line.id);
        const text = item ? asText(item.realisasi) : null;
        return text ? [`${periodKeyLabel(m.period)}: ${text}`] : [];
      });
    return {
      jenis: line.jenis,
      rhk: line.text,
      indikator: line.indikator,
      realisasi: reported.length > 0 ? reported.join('\n') : 'Belum ada realisasi',
      umpanBalik: (line.id ? rhkFeedback[line.id] : undefined) ?? null,
    };
  });
  return sheet;
}

// ---------------------------------------------------------------------------------------------------------
// Rendering (pdfkit, embedded Noto Sans, A4)

/** The seven core values (BerAKHLAK) with their guide behaviours, as the SKP form prints them. */
const BERAKHLAK: ReadonlyArray<{ key: string; nilai: string; perilaku: string[] }> = [
  {
    key: 'berorientasiPelayanan',
    nilai: 'Berorientasi Pelayanan',
    perilaku: [
      'Memahami dan memenuhi kebutuhan masyarakat',
      'Ramah, cekatan, solutif, dan dapat diandalkan',
      'Melakukan perbaikan tiada henti',
    ],
  },
  {
    key: 'akuntabel',
    nilai: 'Akuntabel',
    perilaku: [
      'Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi',
      'Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien',
      'Tidak menyalahgunakan kewenangan jabatan',
    ],
  },
  {
    key: 'kompeten',
    nilai: 'Kompeten',
    perilaku: [
      'Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah',
      'Membantu orang lain belajar',
      'Melaksanakan tugas dengan kualitas terbaik',
    ],
  },
  {
    key: 'harmonis',
    nilai: 'Harmonis',
    perilaku: [
      'Menghargai setiap orang apa pun latar belakangnya',
      'Suka menolong orang lain',
      'Membangun lingkungan kerja yang kondusif',
    ],
  },
  {
    key: 'loyal',
    nilai: 'Loyal',
    perilaku: [
      'Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan yang sah',
      'Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara',
      'Menjaga rahasia jabatan dan negara',
    ],
  },
  {
    key: 'adaptif',
    nilai: 'Adaptif',
    perilaku: [
      'Cepat menyesuaikan diri menghadapi perubahan',
      'Terus berinovasi dan mengembangkan kreativitas',
      'Bertindak proaktif',
    ],
  },
  {
    key: 'kolaboratif',
    nilai: 'Kolaboratif',
    perilaku: [
      'Memberi kesempatan kepada berbagai pihak untuk berkontribusi',
      'Terbuka dalam bekerja sama untuk menghasilkan nilai tambah',
      'Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama',
    ],
  },
];

// Noto Sans (SIL Open Font License 1.1, from @fontsource/noto-sans), embedded (subset) in every PDF so every
// viewer shows the same glyphs and spacing; the standard Helvetica is substituted by viewers and can run words
// together ("PEGAWAIYANG"). The Latin subset covers Indonesian text and the punctuation used here.
const REGULAR = 'NotoSans';
const BOLD = 'NotoSans-Bold';
const fontFile = (weight: 400 | 700): Buffer =>
  readFileSync(createRequire(import.meta.url).resolve(`@fontsource/noto-sans/files/noto-sans-latin-${weight}-normal.woff`));
let fonts: { regular: Buffer; bold: Buffer } | undefined;
function registerFonts(doc: PDFKit.PDFDocument): void {
  fonts ??= { regular: fontFile(400), bold: fontFile(700) };
  doc.registerFont(REGULAR, fonts.regular);
  doc.registerFont(BOLD, fonts.bold);
  doc.font(REGULAR);
}
const TABLE_FONT_SIZE = 8.5;
const CELL_PADDING = 4;
/** A cell never holds more than this, so one row always fits on a page. */
const MAX_CELL_CHARS = 900;

// The embedded Latin subset (its unicode-range): anything outside it would print as a missing glyph, so it is
// simplified first (diacritics dropped) or replaced by "?".
const FONT_EXTRA = new Set('ıŒœʻʼˆ˚˜€™↑↓−∕');
const inFont = (code: number): boolean => (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || (code >= 0x2000 && code <= 0x206f);

export function pdfSafe(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    const code = ch.codePointAt(0)!;
    if (ch === '\n' || inFont(code) || FONT_EXTRA.has(ch)) {
      out += ch;
      continue;
    }
    const plain = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += /^[\x20-\x7e]+$/.test(plain) ? plain : '?';
  }
  return out;
}

function cell(text: string): string {
  const safe = pdfSafe(text);
  return safe.length > MAX_CELL_CHARS ? `${safe.slice(0, MAX_CELL_CHARS - 1)}…` : safe;
}

type Doc = PDFKit.PDFDocument;
/** pdfkit loads at the first document, not at boot. */
const pdfkit = lazyRequire<typeof PDFDocumentClass>('pdfkit');

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

type Row =
  | {
      cells: string[];
      bold?: boolean;
      /** Columns continuing the cell above (a merged cell): left blank and open at the top, unless the row starts a page. */
      carried?: number[];
    }
  | { span: string };

function pageBottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > pageBottom(doc)) doc.addPage();
}

function cellsHeight(doc: Doc, columns: Column[], texts: string[], bold: boolean): number {
  doc.font(bold ? BOLD : REGULAR).fontSize(TABLE_FONT_SIZE);
  let height = 0;
  texts.forEach((text, i) => {
    height = Math.max(height, doc.heightOfString(text || ' ', { width: columns[i]!.width - 2 * CELL_PADDING }));
  });
  return height + 2 * CELL_PADDING;
}

function drawCells(doc: Doc, columns: Column[], texts: string[], options: { bold: boolean; fill?: string; openTop?: number[] }): void {
  const x0 = doc.page.margins.left;
  const top = doc.y;
  const height = cellsHeight(doc, columns, texts, options.bold);
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  if (options.fill) doc.save().rect(x0, top, total, height).fill(options.fill).restore();
  doc.lineWidth(0.5).strokeColor('#000000');
  let x = x0;
  columns.forEach((column, i) => {
    if (!options.openTop?.includes(i)) doc.moveTo(x, top).lineTo(x + column.width, top);
    doc.moveTo(x, top).lineTo(x, top + height);
    x += column.width;
  });
  doc.moveTo(x, top).lineTo(x, top + height).stroke();
  doc.font(options.bold ? BOLD : REGULAR).fontSize(TABLE_FONT_SIZE).fillColor('#000000');
  x = x0;
  columns.forEach((column, i) => {
    const text = texts[i] ?? '';
    if (text) doc.text(text, x + CELL_PADDING, top + CELL_PADDING, { width: column.width - 2 * CELL_PADDING, align: column.align ?? 'left' });
    x += column.width;
  });
  doc.x = x0;
  doc.y = top + height;
}

function closeTable(doc: Doc, columns: Column[]): void {
  const x0 = doc.page.margins.left;
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  doc.lineWidth(0.5).moveTo(x0, doc.y).lineTo(x0 + total, doc.y).stroke();
}

/**
 * A bordered table that breaks across pages, repeating its header and the text of merged cells. `keepWithNext` is
 * the height of what must follow the last row on the same page (the signatures): when both do not fit, the last row
 * moves to the next page with it, so what follows never stands alone on a page.
 */
function drawTable(doc: Doc, columns: Column[], rows: Row[], options: { header?: boolean; keepWithNext?: number } = {}): void {
  const showHeader = options.header ?? true;
  const headers = columns.map((c) => cell(c.header));
  const headerHeight = showHeader ? cellsHeight(doc, columns, headers, true) : 0;
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  const spanColumn: Column[] = [{ header: '', width: total }];
  const textsOf = (row: Exclude<Row, { span: string }>, startsPage: boolean) =>
    row.cells.map((text, i) => (!startsPage && row.carried?.includes(i) ? '' : cell(text)));
  const heightOf = (row: Row, startsPage: boolean) =>
    'span' in row ? cellsHeight(doc, spanColumn, [cell(row.span)], true) : cellsHeight(doc, columns, textsOf(row, startsPage), row.bold ?? false);
  const startPage = () => {
    if (showHeader) drawCells(doc, columns, headers, { bold: true, fill: '#e4e4e4' });
  };

  ensureSpace(doc, headerHeight + (rows[0] ? heightOf(rows[0], true) : 0));
  startPage();
  let startsPage = true;
  rows.forEach((row, index) => {
    const isLast = index === rows.length - 1;
    const needed = heightOf(row, startsPage) + (isLast && !startsPage ? (options.keepWithNext ?? 0) : 0);
    if (doc.y + needed > pageBottom(doc)) {
      closeTable(doc, columns);
      doc.addPage();
      startPage();
      startsPage = true;
    }
    if ('span' in row) {
      drawCells(doc, spanColumn, [cell(row.span)], { bold: true, fill: '#f2f2f2' });
    } else {
      drawCells(doc, columns, textsOf(row, startsPage), { bold: row.bold ?? false, openTop: startsPage ? [] : row.carried ?? [] });
    }
    startsPage = false;
  });
  closeTable(doc, columns);
}

/** Column widths from weights, filling the page's content width exactly. */
function columnsOf(doc: Doc, spec: Array<[header: string, weight: number, align?: Column['align']]>): Column[] {
  const width = contentWidth(doc);
  const sum = spec.reduce((s, [, w]) => s + w, 0);
  return spec.map(([header, weight, align]) => ({ header, width: (width * weight) / sum, ...(align ? { align } : {}) }));
}

function sectionTitle(doc: Doc, text: string): void {
  ensureSpace(doc, 40);
  doc.moveDown(0.8);
  doc.font(BOLD).fontSize(10).fillColor('#000000').text(pdfSafe(text), doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
}

function paragraph(doc: Doc, text: string, options: { bold?: boolean; size?: number; align?: 'left' | 'center' | 'right' } = {}): void {
  doc
    .font(options.bold ? BOLD : REGULAR)
    .fontSize(options.size ?? 9)
    .fillColor('#000000')
    .text(pdfSafe(text), doc.page.margins.left, doc.y, { width: contentWidth(doc), align: options.align ?? 'left' });
}

/** 'Kabupaten Banyuwangi' from 'Pemerintah Kabupaten Banyuwangi'; the signing place is the region's seat. */
export function signingPlace(instansiName: string): string {
  const m = /^(?:pemerintah\s+)?(?:kabupaten|kota|provinsi)\s+(.+)$/i.exec(instansiName.trim());
  return m ? m[1]!.trim() : instansiName.trim();
}

function dateWithoutWeekday(at: Date, tz: AgencyTimeZone): string {
  return formatDate(at, tz).replace(/^[^,]+,\s*/, '');
}

/** Whether an 18-digit number reads as an NI PPPK (digits 9–12 an appointment year, not a TMT month). */
export function isPppk(nip: string): boolean {
  const parsed = parseNip(nip, new Date(Date.UTC(2100, 0, 1)));
  return parsed.ok && parsed.kind === 'pppk';
}

function partyRows(data: DocumentData): Row[] {
  const parties = [data.pegawai, data.pejabatPenilai, data.atasanPejabatPenilai];
  // A PPPK's number is an NI PPPK, not a NIP: labelled so in its own cell.
  const field = (p: DocumentParty | null, f: keyof DocumentParty) =>
    p ? (f === 'nip' ? `${isPppk(p.nip) ? 'NI PPPK ' : ''}${formatNip(p.nip)}` : (p[f] ?? '-')) : '-';
  return [
    { cells: ['Nama', ...parties.map((p) => field(p, 'nama'))] },
    { cells: [parties.some((p) => p && isPppk(p.nip)) ? 'NIP / NI PPPK' : 'NIP', ...parties.map((p) => field(p, 'nip'))] },
    // The official SKP form's order: Nama, NIP, Pangkat/Gol. Ruang, Jabatan, Unit Kerja.
    { cells: ['Pangkat/Gol. Ruang', ...parties.map((p) => field(p, 'pangkat'))] },
    { cells: ['Jabatan', ...parties.map((p) => field(p, 'jabatan'))] },
    { cells: ['Unit Kerja', ...parties.map((p) => field(p, 'unit'))] },
  ];
}

function indikatorText(i: IndikatorLine): string {
  return i.target ? `${i.text} (target: ${i.target})` : i.text;
}

function rhkRows(lines: RhkLine[]): Row[] {
  const rows: Row[] = [];
  const groups: Array<['utama' | 'tambahan', string]> = [
    ['utama', 'A. HASIL KERJA UTAMA'],
    ['tambahan', 'B. HASIL KERJA TAMBAHAN'],
  ];
  for (const [jenis, title] of groups) {
    const group = lines.filter((l) => l.jenis === jenis);
    rows.push({ span: title });
    if (group.length === 0) {
      rows.push({ cells: ['-', '-', '-', '-', '-', '-'] });
      continue;
    }
    group.forEach((line, index) => {
      const rhkText = line.note ? `${line.text}\n(${line.note})` : line.text;
      const indikator = line.indikator.length > 0 ? line.indikator : [{ aspek: null, text: '-', target: null }];
      indikator.forEach((iki, k) => {
        rows.push({
          cells: [String(index + 1), line.rhkAtasan ?? '-', rhkText, iki.aspek ?? '-', iki.text, iki.target ?? '-'],
          // Further indikator of the same RHK continue its No / RHK cells, as the form merges them.
          carried: k === 0 ? [] : [0, 1, 2],
        });
      });
    });
  }
  return rows;
}

/** The two signature blocks with the space above them (see signatureBlocks). */
const SIGNATURE_BLOCK_HEIGHT = 175;

function signatureBlocks(doc: Doc, data: DocumentData, printedAt: Date): void {
  ensureSpace(doc, 150);
  doc.moveDown(1.5);
  const left = doc.page.margins.left;
  const half = contentWidth(doc) / 2;
  const top = doc.y;
  const block = (x: number, lines: { dateLine?: string; role: string; party: DocumentParty | null }) => {
    doc.font(REGULAR).fontSize(9.5).fillColor('#000000');
    // Both roles sit on the same line; only the right block has the place and date above it.
    if (lines.dateLine) doc.text(pdfSafe(lines.dateLine), x, top, { width: half - 10, align: 'center' });
    doc.text(pdfSafe(lines.role), x, top + doc.currentLineHeight(true), { width: half - 10, align: 'center' });
    const nameY = top + 95;
    doc.font(BOLD).text(pdfSafe(lines.party?.nama ?? '..............................'), x, nameY, { width: half - 10, align: 'center', underline: true });
    const label = lines.party && isPppk(lines.party.nip) ? 'NI PPPK' : 'NIP';
    doc.font(REGULAR).text(pdfSafe(`${label}. ${lines.party ? formatNip(lines.party.nip) : '..............................'}`), x, doc.y, {
      width: half - 10,
      align: 'center',
    });
    return doc.y;
  };
  const place = signingPlace(data.instansiName);
  const dateLine = `${place ? `${place}, ` : ''}${dateWithoutWeekday(printedAt, data.timeZone)}`;
  const leftEnd = block(left, { role: 'Pegawai yang Dinilai', party: data.pegawai });
  const rightEnd = block(left + half + 10, { dateLine, role: 'Pejabat Penilai Kinerja', party: data.pejabatPenilai });
  doc.x = left;
  doc.y = Math.max(leftEnd, rightEnd);
}

function verificationBox(doc: Doc, code: string): void {
  ensureSpace(doc, 80);
  doc.moveDown(1.2);
  const left = doc.page.margins.left;
  const top = doc.y;
  const width = contentWidth(doc);
  doc.font(BOLD).fontSize(9.5).text(`Kode verifikasi: ${code}`, left + 8, top + 7, { width: width - 16 });
  doc.font(REGULAR).fontSize(8.5).text(`Verifikasi: /verifikasi ${code}`, left + 8, doc.y + 2, { width: width - 16 });
  doc.text('Kirim perintah di atas ke bot kinerja untuk memeriksa keaslian dan versi dokumen ini.', left + 8, doc.y + 2, { width: width - 16 });
  const bottom = doc.y + 7;
  doc.lineWidth(0.8).rect(left, top, width, bottom - top).stroke();
  doc.x = left;
  doc.y = bottom;
}

function footers(doc: Doc, code: string, printedAt: Date, tz: AgencyTimeZone): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit open a new page: lift the margin while writing.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - bottomMargin + 22;
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    doc.font(REGULAR).fontSize(7.5).fillColor('#444444');
    doc.text(`Dicetak dari kinerja-bot pada ${formatShortDateTime(printedAt, tz)} · Verifikasi: /verifikasi ${code}`, left, y, {
      width,
      align: 'left',
      lineBreak: false,
    });
    doc.text(`Halaman ${i - range.start + 1} dari ${range.count}`, left, y, { width, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
  }
  doc.fillColor('#000000');
}

/** CAPAIAN KINERJA ORGANISASI and POLA DISTRIBUSI, as the evaluation sheet opens. */
function organisationSection(doc: Doc, sheet: EvaluationSheet): void {
  sectionTitle(doc, 'CAPAIAN KINERJA ORGANISASI');
  paragraph(doc, sheet.capaianOrganisasi ? ORG_RATING_LABELS[sheet.capaianOrganisasi].toUpperCase() : 'BELUM DITETAPKAN');
  sectionTitle(doc, 'POLA DISTRIBUSI');
  paragraph(doc, sheet.capaianOrganisasi ? `${CURVE_RULE_TEXT[sheet.capaianOrganisasi]} (SE Menteri PANRB Nomor 3 Tahun 2023)` : '-');
}

/** The umpan balik berkelanjutan the pejabat penilai gave an RHK of a periodic evaluation, by its text. */
function umpanBalikOf(data: DocumentData, rhk: string): string | null {
  return data.evaluation?.hasilKerja.find((h) => h.rhk === rhk)?.umpanBalik ?? null;
}

/** The perilaku rows (BerAKHLAK) with their umpan balik. */
function perilakuTable(doc: Doc, data: DocumentData, sheet: EvaluationSheet): void {
  sectionTitle(doc, 'PERILAKU KERJA');
  drawTable(
    doc,
    columnsOf(doc, [
      ['No', 5, 'center'],
      ['Perilaku Kerja (BerAKHLAK)', 45],
      ['Ekspektasi Khusus Pimpinan', 22],
      ['Umpan Balik Berkelanjutan', 28],
    ]),
    BERAKHLAK.map((v, i) => ({
      cells: [String(i + 1), `${v.nilai}\n${v.perilaku.map((p) => `- ${p}`).join('\n')}`, data.ekspektasiKhusus[v.key] ?? '-', sheet.umpanBalikPerilaku[v.key] ?? '-'],
    })),
  );
}

/** The evaluation sheet (Anak Lampiran 4): organisation, hasil kerja per RHK, perilaku, ratings, catatan. */
function evaluationSheet(doc: Doc, data: DocumentData, sheet: EvaluationSheet): void {
  organisationSection(doc, sheet);
  sectionTitle(doc, 'HASIL KERJA');
  const rows: Row[] = [];
  for (const [jenis, title] of [
    ['utama', 'A. UTAMA'],
    ['tambahan', 'B. TAMBAHAN'],
  ] as const) {
    rows.push({ span: title });
    const group = sheet.hasilKerja.filter((h) => h.jenis === jenis);
    if (group.length === 0) rows.push({ cells: ['-', '-', '-', '-', '-'] });
    group.forEach((h, i) =>
      rows.push({
        cells: [
          String(i + 1),
          h.rhk,
          h.indikator.length > 0 ? h.indikator.map((iki) => `${iki.aspek ? `${iki.aspek}: ` : ''}${indikatorText(iki)}`).join('\n') : '-',
          h.realisasi,
          h.umpanBalik ?? '-',
        ],
      }),
    );
  }
  drawTable(
    doc,
    columnsOf(doc, [
      ['No', 5, 'center'],
      ['Rencana Hasil Kerja', 24],
      ['Indikator Kinerja Individu dan Target', 22],
      ['Realisasi Berdasarkan Bukti Dukung', 27],
      ['Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung', 22],
    ]),
    rows,
  );
  sectionTitle(doc, 'RATING HASIL KERJA');
  paragraph(doc, data.rating ? RATING_LABELS[data.rating.hasilKerja].toUpperCase() : 'BELUM DINILAI', { bold: true });
  perilakuTable(doc, data, sheet);
  sectionTitle(doc, 'RATING PERILAKU KERJA');
  paragraph(doc, data.rating ? RATING_LABELS[data.rating.perilaku].toUpperCase() : 'BELUM DINILAI', { bold: true });
  sectionTitle(doc, 'PREDIKAT KINERJA PEGAWAI');
  paragraph(doc, data.predikat ? PREDIKAT_LABELS[data.predikat].toUpperCase() : 'BELUM DINILAI', { bold: true });
  if (sheet.periods.length > 0) {
    paragraph(
      doc,
      `Predikat periodik: ${sheet.periods.map((p) => `${periodKeyLabel(p.period)} ${p.predikat ? PREDIKAT_LABELS[p.predikat] : 'belum dinilai'}`).join('; ')}`,
      { size: 8.5 },
    );
  }
  sectionTitle(doc, 'CATATAN/REKOMENDASI');
  paragraph(doc, data.rating?.catatan ?? '-');
}

export interface RenderOptions {
  verificationCode: string;
  printedAt: Date;
  /** Tests turn compression off so the page text stays readable in the file. */
  compress?: boolean;
}

/** Renders the document as an A4 PDF (pure: same data and options, same pages). */
export async function renderDocumentPdf(data: DocumentData, options: RenderOptions): Promise<Buffer> {
  const { verificationCode: code, printedAt } = options;
  const tz = data.timeZone;
  const doc = new (pdfkit())({
    size: 'A4',
    margins: { top: 48, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    compress: options.compress ?? true,
    info: {
      Title: pdfSafe(`${documentLabel(data.kind, data.period)} - ${data.pegawai.nama}`),
      Author: pdfSafe(data.instansiName || 'kinerja-bot'),
      Subject: `Verifikasi: /verifikasi ${code}`,
      Keywords: code,
      Creator: 'kinerja-bot',
      CreationDate: printedAt,
      ModDate: printedAt,
    },
  });
  registerFonts(doc);
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // Header
  if (data.instansiName) paragraph(doc, data.instansiName.toUpperCase(), { bold: true, size: 11, align: 'center' });
  doc.moveDown(0.2);
  paragraph(doc, DOCUMENT_TITLES[data.kind], { bold: true, size: 14, align: 'center' });
  const year = data.period.slice(0, 4);
  paragraph(
    doc,
    data.kind === 'skp'
      ? `PERIODE PENILAIAN: 1 JANUARI – 31 DESEMBER ${year}`
      : `PERIODE: ${documentPeriodLabel(data.evaluation?.annual || !isPeriodKey(data.period) ? null : periodOfKey(data.period))}`,
    { size: 10, align: 'center' },
  );
  if (data.evaluation) {
    const day = (d: string) => dateWithoutWeekday(new Date(`${d}T12:00:00Z`), 'Asia/Jakarta').toUpperCase();
    paragraph(doc, `PERIODE PENILAIAN: ${day(data.evaluation.from)} SD ${day(data.evaluation.to)}`, { size: 10, align: 'center' });
  }
  doc.moveDown(0.8);
  paragraph(doc, `Prosedur: ${data.procedure.title}${data.procedure.sopNumber ? ` (SOP ${data.procedure.sopNumber})` : ''}`, { size: 8.5 });
  const decided = data.decision ? ` · ${data.decision.label} pada ${formatShortDateTime(data.decision.at, tz)} oleh ${data.decision.by}` : '';
  paragraph(doc, `Revisi ke-${data.revision}${decided}`, { size: 8.5 });

  sectionTitle(doc, 'PEGAWAI YANG DINILAI DAN PEJABAT PENILAI');
  drawTable(
    doc,
    // The label column is just wide enough for 'Pangkat/Gol. Ruang' on one line.
    columnsOf(doc, [
      ['', 18],
      ['Pegawai yang Dinilai', 28],
      ['Pejabat Penilai Kinerja', 28],
      ['Atasan Pejabat Penilai Kinerja', 28],
    ]),
    partyRows(data),
  );

  if (data.kind === 'skp') {
    sectionTitle(doc, 'HASIL KERJA');
    drawTable(
      doc,
      columnsOf(doc, [
        ['No', 5, 'center'],
        ['RHK Atasan yang Diintervensi', 19],
        ['Rencana Hasil Kerja', 26],
        ['Aspek', 11],
        ['Indikator Kinerja Individu', 25],
        ['Target', 14],
      ]),
      rhkRows(data.rhk),
    );
    sectionTitle(doc, 'PERILAKU KERJA');
    drawTable(
      doc,
      columnsOf(doc, [
        ['No', 5, 'center'],
        ['Perilaku Kerja (BerAKHLAK)', 60],
        ['Ekspektasi Khusus Pimpinan', 35],
      ]),
      BERAKHLAK.map((v, i) => ({
        cells: [String(i + 1), `${v.nilai}\n${v.perilaku.map((p) => `- ${p}`).join('\n')}`, data.ekspektasiKhusus[v.key] ?? ''],
      })),
    );
  } else if (data.evaluation?.annual) {
    evaluationSheet(doc, data, data.evaluation);
  } else {
    if (data.evaluation) organisationSection(doc, data.evaluation);
    sectionTitle(doc, 'CAPAIAN HASIL KERJA');
    const realisasiRows: Row[] =
      data.realisasi.length > 0
        ? data.realisasi.map((r, i) => ({
            cells: [
              String(i + 1),
              r.jenis ? `${r.rhk}\n(${r.jenis === 'utama' ? 'utama' : 'tambahan'})` : r.rhk,
              r.indikator.length > 0 ? r.indikator.map((iki) => `${iki.aspek ? `${iki.aspek}: ` : ''}${indikatorText(iki)}`).join('\n') : '-',
              umpanBalikOf(data, r.rhk) ? `${r.realisasi}\nUmpan balik: ${umpanBalikOf(data, r.rhk)}` : r.realisasi,
              r.buktiCount > 0 ? `${r.buktiCount} berkas\n${r.buktiNames.join('\n')}` : 'Tidak ada',
            ],
          }))
        : [{ cells: ['-', 'Belum ada realisasi yang diajukan', '-', '-', '-'] }];
    drawTable(
      doc,
      columnsOf(doc, [
        ['No', 5, 'center'],
        ['Rencana Hasil Kerja', 30],
        ['Indikator dan Target', 25],
        ['Realisasi', 22],
        ['Bukti Dukung', 18],
      ]),
      realisasiRows,
    );
    sectionTitle(doc, 'EVALUASI KINERJA');
    drawTable(
      doc,
      columnsOf(doc, [
        ['', 40],
        ['', 60],
      ]),
      [
        { cells: ['Rating Hasil Kerja', data.rating ? RATING_LABELS[data.rating.hasilKerja] : 'Belum dinilai'] },
        { cells: ['Rating Perilaku Kerja', data.rating ? RATING_LABELS[data.rating.perilaku] : 'Belum dinilai'] },
        { cells: ['Predikat Kinerja Pegawai', data.predikat ? PREDIKAT_LABELS[data.predikat] : '-'], bold: true },
        { cells: ['Pengajuan realisasi', data.late ? 'Terlambat (melewati batas pengisian)' : 'Tepat waktu'] },
      ],
      { header: false },
    );
    if (data.evaluation) perilakuTable(doc, data, data.evaluation);
    if (data.rating?.catatan) {
      sectionTitle(doc, 'UMPAN BALIK');
      paragraph(doc, data.rating.catatan);
    }
  }

  sectionTitle(doc, 'RIWAYAT PENGAJUAN DAN PERSETUJUAN');
  drawTable(
    doc,
    columnsOf(doc, [
      ['No', 5, 'center'],
      ['Waktu', 22],
      ['Oleh', 27],
      ['Tindakan', 38],
      ['Revisi', 8, 'center'],
    ]),
    data.trail.map((t, i) => ({
      cells: [String(i + 1), formatShortDateTime(t.at, tz), t.actorNip ? `${t.actor}\nNIP. ${formatNip(t.actorNip)}` : t.actor, t.action, String(t.revision)],
    })),
    { keepWithNext: SIGNATURE_BLOCK_HEIGHT },
  );

  signatureBlocks(doc, data, printedAt);
  verificationBox(doc, code);
  footers(doc, code, printedAt, tz);
  doc.end();
  return finished;
}

// ---------------------------------------------------------------------------------------------------------
// Verification codes

/** No 0/O, 1/I: a code read off paper and typed on a phone must not be ambiguous. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const VERIFICATION_CODE_LENGTH = 10;

export function newVerificationCode(): string {
  let code = '';
  for (let i = 0; i < VERIFICATION_CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** 'abcd-e2345 f' → 'ABCDE2345F'; null when it cannot be a code we issued. */
export function normalizeVerificationCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  const valid = code.length === VERIFICATION_CODE_LENGTH && [...code].every((ch) => CODE_ALPHABET.includes(ch));
  return valid ? code : null;
}

export interface PrintableCase {
  caseId: string;
  kind: DocumentKind;
  period: string;
  subjectId: string;
  subjectNama: string;
  subjectNip: string;
  updatedAt: Date;
}

/**
 * The printable cases the viewer may print (the access policy's condition over cases `c`, subject `e`, unit `u`),
 * latest first.
 */
export async function listPrintableCases(
  deps: { db: DbOrTx; procedures: ProcedureLookup },
  input: { visible: SQL; subjectId?: string; limit?: number },
): Promise<PrintableCase[]> {
  const printable = deps.procedures.all().filter((p) => documentKindFor(p) !== null);
  if (printable.length === 0) return [];
  // The aliases the access policy's condition is written over.
  const c = alias(cases, 'c');
  const e = alias(employees, 'e');
  const u = alias(units, 'u');
  const kindByCode = new Map(printable.map((p) => [p.code, documentKindFor(p)!]));
  const activeConditions = printable.flatMap((p) => {
    const steps = printableStepNos(p);
    return steps.length > 0 ? [and(eq(c.procedureCode, p.code), inArray(c.stepNo, steps))!] : [];
  });
  const printableCondition = or(
    and(eq(c.status, 'completed'), inArray(c.procedureCode, [...kindByCode.keys()])),
    ...(activeConditions.length > 0 ? [and(eq(c.status, 'active'), or(...activeConditions))] : []),
  );
  const rows = await deps.db
    .select({
      caseId: c.id,
      procedureCode: c.procedureCode,
      period: c.period,
      subjectId: c.subjectId,
      subjectNama: e.nama,
      subjectNip: e.nip,
      updatedAt: c.updatedAt,
    })
    .from(c)
    .innerJoin(e, eq(e.id, c.subjectId))
    .innerJoin(u, eq(u.id, e.unitId))
    .where(and(printableCondition, input.visible, input.subjectId ? eq(c.subjectId, input.subjectId) : undefined))
    .orderBy(desc(c.updatedAt), desc(c.period))
    .limit(input.limit ?? 10);
  return rows.map(({ procedureCode, ...r }) => ({ ...r, kind: kindByCode.get(procedureCode)! }));
}

// ---------------------------------------------------------------------------------------------------------
// Producing a document

export interface RenderedDocument {
  pdf: Buffer;
  verificationCode: string;
  fileName: string;
  kind: DocumentKind;
  documentId: string;
  caseVersion: number;
  period: string;
  subjectNama: string;
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Documents are kept in the archive, content-addressed, so a reprint of the same version is the same file. */
function storagePathFor(config: AppConfig, hash: string): string {
  return join(config.deployment.storage.archiveDir, 'documents', `${hash}.pdf`);
}

/** Writes an archived PDF atomically (a temporary file renamed into place). */
export async function storePdf(path: string, pdf: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, pdf);
  await rename(temporary, path);
}

/** An archived PDF, or null when it is missing or no longer matches its recorded hash. */
export async function readStored(path: string, expectedSha: string): Promise<Buffer | null> {
  try {
    const pdf = await readFile(path);
    return sha256(pdf) === expectedSha ? pdf : null;
  } catch {
    return null;
  }
}

/**
 * The PDF of a case for someone allowed to see it. The same case version printed again returns the archived
 * file with its code; a new version gets a new document, code and row in `documents`.
 * Throws AccessDenied (see the access policy), DomainError CASE_NOT_FOUND, DOCUMENT_NOT_AVAILABLE or DOCUMENT_NOT_READY.
 */
export async function renderCaseDocument(
  deps: DocumentDeps,
  input: { caseId: string; requestedBy: EmployeeProfile; now: Date },
): Promise<RenderedDocument> {
  await deps.access.require(input.requestedBy, 'caseDocument', { kind: 'case', caseId: input.caseId });
  const data = await loadDocumentData(deps.db, input.caseId, { procedures: deps.procedures });
  if (!isPrintable(deps.procedures.get(data.procedure.code), data)) {
    throw new DomainError('DOCUMENT_NOT_READY', 'The case has no printable document yet', { kind: data.kind, status: data.status });
  }
  const fileName = documentFileName(data);
  const result = (pdf: Buffer, row: { id: string; verificationCode: string }): RenderedDocument => ({
    pdf,
    verificationCode: row.verificationCode,
    fileName,
    kind: data.kind,
    documentId: row.id,
    caseVersion: data.caseVersion,
    period: data.period,
    subjectNama: data.pegawai.nama,
  });

  const [previous] = await deps.db
    .select()
    .from(documents)
    .where(and(eq(documents.caseId, data.caseId), eq(documents.kind, data.kind), eq(documents.caseVersion, data.caseVersion)))
    .orderBy(desc(documents.createdAt))
    .limit(1);
  // A keberatan decided since that print changed the result without a new case version: print afresh.
  const [redecided] = previous
    ? await deps.db
        .select({ id: caseEvents.id })
        .from(caseEvents)
        .where(and(eq(caseEvents.caseId, data.caseId), eq(caseEvents.action, 'keberatan_decided'), gt(caseEvents.at, previous.createdAt)))
        .limit(1)
    : [];
  const stored = previous?.storagePath && !redecided ? await readStored(previous.storagePath, previous.sha256) : null;
  if (previous && stored) return result(stored, previous);

  // A clash of random codes is astronomically rare (32^10); the unique index decides, and we draw again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const verificationCode = newVerificationCode();
    const pdf = await renderDocumentPdf(data, { verificationCode, printedAt: input.now });
    const hash = sha256(pdf);
    const path = storagePathFor(deps.config, hash);
    await storePdf(path, pdf);
    const inserted = await deps.db
      .insert(documents)
      .values({
        caseId: data.caseId,
        kind: data.kind,
        caseVersion: data.caseVersion,
        verificationCode,
        sha256: hash,
        storagePath: path,
        createdBy: input.requestedBy.id,
        createdAt: input.now,
      })
      .onConflictDoNothing({ target: documents.verificationCode })
      .returning({ id: documents.id, verificationCode: documents.verificationCode });
    if (inserted[0]) return result(pdf, inserted[0]);
  }
  throw new Error('could not allocate a unique verification code');
}

export interface VerifiedDocument {
  /** 'sertifikat': the ASN Berprestasi certificate (see certificate.ts). */
  kind: DocumentKind | 'sertifikat';
  caseId: string;
  caseVersion: number;
  currentVersion: number;
  revision: number | null;
  period: string;
  subjectNama: string;
  subjectNip: string;
  createdAt: Date;
  createdByNama: string | null;
  sha256: string;
  /** For a certificate: the nomination's data files, oldest first. */
  files: Array<{ name: string; sha256: string | null }>;
}

/** What a printed verification code stands for, or null when no document carries it. */
export async function verifyDocument(db: DbOrTx, input: string): Promise<VerifiedDocument | null> {
  const code = normalizeVerificationCode(input);
  if (!code) return null;
  const [row] = await db
    .select({
      kind: documents.kind,
      caseId: documents.caseId,
      caseVersion: documents.caseVersion,
      currentVersion: cases.version,
      period: cases.period,
      subjectNama: employees.nama,
      subjectNip: employees.nip,
      createdAt: documents.createdAt,
      createdBy: documents.createdBy,
      sha256: documents.sha256,
    })
    .from(documents)
    .innerJoin(cases, eq(cases.id, documents.caseId))
    .innerJoin(employees, eq(employees.id, cases.subjectId))
    .where(eq(documents.verificationCode, code));
  if (!row) return null;
  const creator = row.createdBy ? await findEmployeeById(db, row.createdBy) : null;
  // Each version is made by exactly one transition event (version 1 by 'start'), so the event that produced the
  // printed version tells the revision the case had then.
  const [event] = await db
    .select({ revision: caseEvents.revision })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, row.caseId), inArray(caseEvents.action, TRANSITION_ACTIONS)))
    .orderBy(asc(caseEvents.id))
    .offset(Math.max(row.caseVersion - 1, 0))
    .limit(1);
  const kind = row.kind === 'evaluasi' || row.kind === 'sertifikat' ? row.kind : 'skp';
  const files =
    kind === 'sertifikat'
      ? (
          await db
            .select({ fileName: evidenceFiles.fileName, sha256: evidenceFiles.sha256 })
            .from(evidenceFiles)
            .where(eq(evidenceFiles.caseId, row.caseId))
            .orderBy(asc(evidenceFiles.createdAt))
        ).map((f) => ({ name: f.fileName ?? 'berkas tanpa nama', sha256: f.sha256 }))
      : [];
  return {
    kind,
    files,
    caseId: row.caseId,
    caseVersion: row.caseVersion,
    currentVersion: row.currentVersion,
    revision: event?.revision ?? null,
    period: row.period,
    subjectNama: row.subjectNama,
    subjectNip: row.subjectNip,
    createdAt: row.createdAt,
    createdByNama: creator?.nama ?? null,
    sha256: row.sha256,
  };
}
