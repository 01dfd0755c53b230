// The Mini App's monthly realisation: per RHK of the established SKP a value and evidence files, uploaded with the
// chat's type and size checks and kept where the chat keeps them; submitted through the case engine.
import type { IncomingMessage } from 'node:http';
import { checkDeclaredFile, checkFileContent, EVIDENCE_KINDS, incomingFileOf, MAX_EVIDENCE_BYTES, receiveEvidenceFile } from '../app/archive.js';
import type { EngineDeps } from '../app/case-engine.js';
import {
  changeRealisasiDraft,
  establishedSkpOf,
  addBukti,
  itemOf,
  lateIfSentNow,
  loadRealisasiDraft,
  monthlyDeadline,
  openMonthlyCase,
  realisasiPeriodToOpen,
  realisasiProblems,
  submitRealisasi,
  unsentLateRealisasi,
} from '../app/realisasi.js';
import { domainErrorText } from '../chat/texts/errors.js';
import { fileRefusalText, monthLabel, realisasiTexts } from '../chat/texts/monthly.js';
import { webAppTexts } from '../chat/texts/webapp.js';
import type { EmployeeProfile } from '../app/repositories/employees.js';
import { latestReturn, localYear } from '../app/skp.js';
import { formatDate, formatDateTime } from '../domain/format.js';
import { isDomainError } from '../domain/errors.js';
import type { WebAppDeps } from './api.js';
import { ApiError, readJsonBody, type ApiRoute } from './json.js';

const MAX_VALUE = 1000;
const plain = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ApiError(413, plain(fileRefusalText({ reason: 'too_big', sizeBytes: size })));
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createRealisasiRoutes(deps: WebAppDeps): ApiRoute[] {
  const engine: EngineDeps = { db: deps.db, calendar: deps.calendar, procedures: deps.procedures };
  const tz = deps.config.deployment.instansi.timeZone;
  const deadlineDay = deps.config.deployment.monthly.deadlineDay;

  /**
   * The period asked (default: one returned for fixing, else the one being reported now), its case and the
   * established SKP it reports on.
   */
  const flowOf = async (me: EmployeeProfile, periodText: string | null) => {
    const chosen = await realisasiPeriodToOpen(deps, me, { text: periodText, now: deps.now(), deadlineDay });
    if (!chosen.ok && chosen.reason === 'unreadable') throw new ApiError(400, webAppTexts.badRequest);
    if (!chosen.ok && chosen.reason === 'wrong_kind') throw new ApiError(400, plain(realisasiTexts.wrongPeriodKind(chosen.kind, chosen.example)));
    if (!chosen.ok) throw new ApiError(409, realisasiTexts.futureMonth(chosen.period));
    const period = chosen.period;
    const year = period.slice(0, 4);
    const skp = await establishedSkpOf(deps, me, year);
    if (!skp.ok) {
      const text = realisasiTexts.skpNotReady(skp.reason, year, localYear(deps.calendar, deps.now()));
      throw new ApiError(409, plain(text), { code: skp.reason });
    }
    const monthly = await openMonthlyCase(engine, me, period, deps.now());
    return { period, skp: skp.skp, rhk: skp.rhk, monthly };
  };

  const view = async (me: EmployeeProfile, periodText: string | null) => {
    const flow = await flowOf(me, periodText);
    const now = deps.now();
    const [draft, returned, unsent] = await Promise.all([
      loadRealisasiDraft(deps.db, flow.monthly.case, flow.skp.id),
      flow.monthly.case.status === 'returned' ? latestReturn(deps.db, flow.monthly.case.id) : Promise.resolve(null),
      unsentLateRealisasi(deps, me, now, deadlineDay),
    ]);
    const deadline = monthlyDeadline(deps.calendar, flow.period, deadlineDay);
    // A period past its deadline never sent (November's, on 8 December) is one tap away, as /status points to it.
    const lateUnsent = unsent && unsent.period !== flow.period ? { period: unsent.period, periodLabel: monthLabel(unsent.period), deadlineLabel: formatDate(unsent.deadline, tz) } : null;
    return {
      caseId: flow.monthly.case.id,
      period: flow.period,
      periodLabel: monthLabel(flow.period),
      status: flow.monthly.case.status,
      editable: flow.monthly.editable,
      deadline: deadline.toISOString(),
      // The last minute of the deadline day in the agency's zone, as the chat says it ("… pukul 23.59 WIB").
      deadlineLabel: formatDateTime(new Date(deadline.getTime() - 60_000), tz),
      returned: returned ? { reason: returned.reason, byNama: returned.byName } : null,
      // Sent now, it is marked late (a returned one keeps the mark of its first send), as the chat's review says.
      late: flow.monthly.editable && lateIfSentNow(deps.calendar, flow.monthly.case, now, deadlineDay),
      lateUnsent,
      maxFileBytes: MAX_EVIDENCE_BYTES,
      rhk: flow.rhk.map((r) => {
        const item = draft.items[r.id];
        return {
          id: r.id,
          text: r.text,
          indikator: r.indikator,
          realisasi: item?.realisasi ?? '',
          bukti: (item?.bukti ?? []).map((b) => ({ id: b.evidenceId, name: b.name ?? null, mimeType: b.mimeType, sizeBytes: b.sizeBytes })),
        };
      }),
      problems: realisasiProblems(draft, flow.rhk),
    };
  };

  const editableFlow = async (me: EmployeeProfile, periodText: string | null) => {
    const flow = await flowOf(me, periodText);
    if (!flow.monthly.editable) throw new ApiError(409, webAppTexts.realisasiNotEditable);
    return flow;
  };

  return [
    { method: 'GET', pattern: /^\/realisasi$/, handle: ({ me, query }) => view(me, query.get('period')) },
    {
      method: 'PUT',
      pattern: /^\/realisasi\/draft$/,
      handle: async ({ me, req, query }) => {
        const body = (await readJsonBody(req)) as { values?: unknown };
        const values = body.values;
        if (!values || typeof values !== 'object') throw new ApiError(400, webAppTexts.badRequest);
        const flow = await editableFlow(me, query.get('period'));
        const known = new Set(flow.rhk.map((r) => r.id));
        const entries = Object.entries(values as Record<string, unknown>);
        if (entries.some(([id, v]) => !known.has(id) || typeof v !== 'string' || v.length > MAX_VALUE)) throw new ApiError(422, webAppTexts.badRequest);
        await changeRealisasiDraft(
          deps.db,
          flow.monthly.case,
          flow.skp.id,
          (d) => {
            for (const [id, v] of entries) {
              const text = (v as string).trim();
              if (text) itemOf(d, id).realisasi = text;
              else delete itemOf(d, id).realisasi;
            }
          },
          deps.now(),
        );
        return view(me, flow.period);
      },
    },
    {
      // One evidence file for one RHK, as the raw body (name in x-file-name). Checked on its bytes before it is
      // sent anywhere; then the bot sends it to the employee's own chat (Telegram keeps it, as for the chat's
      // uploads) and it is recorded and archived exactly as a file sent in the chat.
      method: 'POST',
      pattern: /^\/realisasi\/evidence$/,
      handle: async ({ me, req, query, log }) => {
        const rhkId = query.get('rhk') ?? '';
        const flow = await editableFlow(me, query.get('period'));
        const rhk = flow.rhk.find((r) => r.id === rhkId);
        if (!rhk || !me.telegramChatId) throw new ApiError(400, webAppTexts.badRequest);
        const header = req.headers['x-file-name'];
        const fileName = typeof header === 'string' ? decodeURIComponent(header).slice(0, 200) : null;
        const mimeType = typeof req.headers['content-type'] === 'string' ? req.headers['content-type'] : null;
        const declared = checkDeclaredFile({ fileName, mimeType, sizeBytes: Number(req.headers['content-length'] ?? 0) }, EVIDENCE_KINDS);
        if (!declared.ok) throw new ApiError(422, plain(fileRefusalText(declared.refusal)));
        const content = await readRawBody(req, MAX_EVIDENCE_BYTES);
        const checked = checkFileContent(content, { fileName, mimeType }, EVIDENCE_KINDS);
        if (!checked.ok) throw new ApiError(422, plain(fileRefusalText(checked.refusal)));

        const sent = await deps.telegram.sendDocument(
          me.telegramChatId,
          { source: content, filename: fileName ?? `bukti.${checked.kind}` },
          { caption: webAppTexts.evidenceCaption(flow.rhk.indexOf(rhk) + 1, monthLabel(flow.period)), disable_notification: true },
        );
        const file = incomingFileOf(sent);
        if (!file) throw new ApiError(502, webAppTexts.unexpected);
        const received = await receiveEvidenceFile(
          { db: deps.db, config: deps.config, telegram: deps.telegram, now: deps.now, logger: log },
          { caseId: flow.monthly.case.id, ownerId: me.id, purpose: rhk.id, file: { ...file, fileName: fileName ?? file.fileName }, allowed: EVIDENCE_KINDS },
          async (tx, evidence) => {
            await changeRealisasiDraft(
              tx,
              flow.monthly.case,
              flow.skp.id,
              (d) => addBukti(d, rhk.id, evidence),
              deps.now(),
            );
          },
        );
        if (!received.ok) throw new ApiError(422, plain(fileRefusalText(received.refusal)));
        log.info({ caseId: flow.monthly.case.id, rhkId }, 'mini app: evidence uploaded');
        return view(me, flow.period);
      },
    },
    {
      method: 'POST',
      pattern: /^\/realisasi\/submit$/,
      handle: async ({ me, query, log }) => {
        const flow = await editableFlow(me, query.get('period'));
        try {
          const { late } = await submitRealisasi(engine, { caseId: flow.monthly.case.id, actorId: me.id, now: deps.now(), deadlineDay, timeZone: tz });
          log.info({ caseId: flow.monthly.case.id }, 'mini app: realisation submitted');
          return { submitted: true, late };
        } catch (error) {
          if (!isDomainError(error)) throw error;
          throw new ApiError(error.code === 'REALISASI_INCOMPLETE' ? 422 : 409, plain(domainErrorText(error, tz)), { problems: error.details.problems });
        }
      },
    },
  ];
}
