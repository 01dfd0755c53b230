// The atasan's side: what waits for them, and one submission as a full table with the same actions as the buttons.
import { useEffect, useState } from 'preact/hooks';
import { api, apiFileUrl, ApiFailure } from './api.ts';
import { Screen } from './skp.tsx';
import { ASPEK_LABELS, RATING_OPTIONS, STATUS_LABELS, t } from './texts.ts';

interface Task {
  caseId: string;
  version: number;
  subjectNama: string;
  title: string;
  period: string;
  step: string;
  overdue: boolean;
}

interface CaseDetail {
  caseId: string;
  version: number;
  status: string;
  title: string;
  period: string;
  subject: { nama: string; nip: string; jabatan: string };
  step: { label: string; uraian: string | null };
  rhk: Array<{
    id: string | null;
    jenis: string | null;
    text: string;
    rhkAtasan: string | null;
    indikator: Array<{ aspek: string | null; indikator: string | null; target: string | null }>;
    realisasi: string | null;
    bukti: Array<{ id: string; name: string | null; mimeType: string; sizeBytes: number }>;
  }>;
  lastReturnReason: string | null;
  can: { approve: boolean; rate: boolean; return: boolean };
}

export function Tasks(props: { onBack: () => void; onOpen: (caseId: string) => void }) {
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ tasks: Task[] }>('GET', '/tasks')
      .then((r) => setTasks(r.tasks))
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <Screen title={t.tasks} onBack={props.onBack}>
      {error && <p class="error">{error}</p>}
      {!tasks && !error && <p class="hint">{t.loading}</p>}
      {tasks && tasks.length === 0 && <p class="notice ok">{t.noTasks}</p>}
      <ul class="list">
        {tasks?.map((task) => (
          <li>
            <button type="button" class="item" data-testid="task" onClick={() => props.onOpen(task.caseId)}>
              <b>{task.subjectNama}</b>
              <span>
                {task.title} · {task.period}
              </span>
              <span class="hint">
                {task.step}
                {task.overdue ? ` · ⏰ ${t.overdue}` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Screen>
  );
}

export function Review(props: { caseId: string; onBack: () => void }) {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [mode, setMode] = useState<'none' | 'return' | 'rate'>('none');
  const [reason, setReason] = useState('');
  const [hk, setHk] = useState('');
  const [pl, setPl] = useState('');
  const [catatan, setCatatan] = useState('');
  const [busy, setBusy] = useState(false);
  const [viewing, setViewing] = useState<{ name: string; url: string; type: string } | null>(null);

  const openFile = async (file: { id: string; name: string | null }) => {
    setError(null);
    try {
      const { url, type } = await apiFileUrl(`/evidence/${file.id}`);
      if (viewing) URL.revokeObjectURL(viewing.url);
      setViewing({ name: file.name ?? 'berkas', url, type });
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : String(e));
    }
  };

  useEffect(() => {
    api<CaseDetail>('GET', `/cases/${props.caseId}`)
      .then(setDetail)
      .catch((e: Error) => setError(e.message));
  }, [props.caseId]);

  const act = async (body: Record<string, unknown>) => {
    if (!detail) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/cases/${detail.caseId}/act`, { version: detail.version, ...body });
      setDone(t.done);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (!detail) return <Screen title={t.tasks} onBack={props.onBack}>{error ? <p class="error">{error}</p> : <p class="hint">{t.loading}</p>}</Screen>;
  const can = done ? { approve: false, rate: false, return: false } : detail.can;

  return (
    <Screen title={`${detail.title} · ${detail.period}`} onBack={props.onBack}>
      <p>
        {t.subject}: <b>{detail.subject.nama}</b> ({detail.subject.jabatan})
        <br />
        {t.step}: {detail.step.label} · {STATUS_LABELS[detail.status] ?? detail.status}
      </p>
      {detail.lastReturnReason && <p class="notice warn">{t.returnedBy(null, detail.lastReturnReason)}</p>}
      <div class="scroll">
        <table data-testid="review-table">
          <thead>
            <tr>
              <th>RHK</th>
              <th>{t.indikator}</th>
              <th>{t.target}</th>
              <th>{t.realisasi}</th>
              <th>{t.bukti}</th>
            </tr>
          </thead>
          <tbody>
            {detail.rhk.map((r, i) => (
              <tr>
                <td>
                  {i + 1}. {r.text}
                  {r.jenis && <span class="tag">{r.jenis === 'utama' ? t.utama : t.tambahan}</span>}
                  {r.rhkAtasan && <div class="hint">↳ {r.rhkAtasan}</div>}
                </td>
                <td>
                  {r.indikator.map((x) => (
                    <div>{x.indikator ?? ASPEK_LABELS[x.aspek ?? ''] ?? '—'}</div>
                  ))}
                </td>
                <td>
                  {r.indikator.map((x) => (
                    <div>{x.target ?? '—'}</div>
                  ))}
                </td>
                <td>{r.realisasi ?? '—'}</td>
                <td>
                  {r.bukti.length === 0
                    ? t.noBukti
                    : r.bukti.map((b) => (
                        <div>
                          <button type="button" class="link" onClick={() => openFile(b)}>
                            📎 {b.name ?? 'berkas'}
                          </button>{' '}
                          <span class="hint">({t.fileSize(b.sizeBytes)})</span>
                        </div>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {viewing && (
        <section class="card viewer">
          <div class="bar">
            <b>{viewing.name}</b>
            <a href={viewing.url} download={viewing.name}>
              {t.download}
            </a>
            <button type="button" class="link" onClick={() => setViewing(null)}>
              {t.close}
            </button>
          </div>
          {viewing.type.startsWith('image/') ? <img src={viewing.url} alt={viewing.name} /> : viewing.type === 'application/pdf' ? <iframe src={viewing.url} title={viewing.name} /> : null}
        </section>
      )}
      {done && (
        <p class="notice ok" data-testid="act-done">
          {done}
        </p>
      )}
      {error && <p class="error">{error}</p>}
      {mode === 'return' && can.return && (
        <div class="card">
          <label>
            {t.returnReason}
            <textarea rows={3} placeholder={t.returnReasonHint} value={reason} data-testid="return-reason" onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <button type="button" disabled={busy || reason.trim() === ''} data-testid="send-return" onClick={() => act({ action: 'return', reason })}>
            {t.sendReturn}
          </button>
        </div>
      )}
      {mode === 'rate' && can.rate && (
        <div class="card">
          <label>
            {t.hasilKerja}
            <select value={hk} onChange={(e) => setHk(e.currentTarget.value)}>
              <option value="">{t.choose}</option>
              {RATING_OPTIONS.map((o) => (
                <option value={o.value}>{o.label}</option>
              ))}
            </select>
          </label>
          <label>
            {t.perilaku}
            <select value={pl} onChange={(e) => setPl(e.currentTarget.value)}>
              <option value="">{t.choose}</option>
              {RATING_OPTIONS.map((o) => (
                <option value={o.value}>{o.label}</option>
              ))}
            </select>
          </label>
          <label>
            {t.umpanBalik}
            <textarea rows={2} value={catatan} onInput={(e) => setCatatan(e.currentTarget.value)} />
          </label>
          <button type="button" disabled={busy || !hk || !pl} onClick={() => act({ action: 'rate', hasilKerja: hk, perilaku: pl, catatan })}>
            {t.sendRating}
          </button>
        </div>
      )}
      <div class="bar">
        {can.approve && (
          <button type="button" disabled={busy} data-testid="approve" onClick={() => act({ action: 'approve' })}>
            {t.approve}
          </button>
        )}
        {can.rate && mode !== 'rate' && (
          <button type="button" onClick={() => setMode('rate')}>
            {t.rate}
          </button>
        )}
        {can.return && mode !== 'return' && (
          <button type="button" class="secondary" data-testid="return" onClick={() => setMode('return')}>
            {t.returnIt}
          </button>
        )}
      </div>
    </Screen>
  );
}
