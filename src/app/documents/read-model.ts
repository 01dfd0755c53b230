// The data a document prints, read from Postgres (no rendering, no side effects).
//
// Glossary: pejabat penilai (PP) = the direct atasan who assesses; atasan pejabat penilai (APP) = the PP's atasan;
// RHK = rencana hasil kerja; IKI = indikator kinerja individu; bukti dukung = evidence.
import { ASPEK_LABELS, STEP_VERBS } from '../../domain/vocabulary.js';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { findEmployeeById, type EmployeeProfile } from '../repositories/employees.js';
import { caseEvents, cases, employees, evidenceFiles, instansi, orgRatings } from '../../db/schema/index.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { firstDay, isPeriodKey, lastDay, periodKeyLabel, periodOfKey } from '../../domain/period.js';
import { predikatOf, type OrgRating, type Predikat, type Rating } from '../../domain/predikat.js';
import type { Procedure, StepAction } from '../../domain/procedure.js';
import { templates } from '../../domain/templates/index.js';
import { documentKindFor, DECISION_ACTIONS } from './printable.js';
import type { DocumentKind, ProcedureLookup } from './printable.js';
import { findCaseRow } from '../repositories/cases.js';

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


/** Case events that change the case (and bump its version); others (reminders, reassignments) are not printed. */
export const TRANSITION_ACTIONS = ['start', 'complete', 'return', 'resubmit', 'cancel'];

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
  const row = await findCaseRow(db, caseId);
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
