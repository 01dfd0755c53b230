// The ASN's monthly realisation: per RHK a value and evidence files (uploaded with progress), then send.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiFailure } from './api.ts';
import { Screen } from './skp.tsx';
import { launch } from './telegram.ts';
import { ASPEK_LABELS, STATUS_LABELS, t } from './texts.ts';

interface RealisasiState {
  caseId: string;
  period: string;
  periodLabel: string;
  status: string;
  editable: boolean;
  deadline: string;
  /** In the agency's time zone, as the chat writes it. */
  deadlineLabel: string;
  returned: { reason: string; byNama: string | null } | null;
  /** Sent now, it would be marked late. */
  late: boolean;
  /** An earlier period past its deadline and never sent, to open instead. */
  lateUnsent: { period: string; periodLabel: string; deadlineLabel: string } | null;
  maxFileBytes: number;
  rhk: Array<{
    id: string;
    text: string;
    indikator: Array<{ aspek: string; target: string }>;
    realisasi: string;
    bukti: Array<{ id: string; name: string | null; sizeBytes: number }>;
  }>;
  problems: Array<{ rhkNo: number; problem: 'no_value' | 'no_bukti' }>;
}

const SAVE_DELAY_MS = 700;
const ACCEPT = '.pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png';

/** Uploads one file with progress (fetch cannot report upload progress). */
function upload(path: string, file: File, onProgress: (share: number) => void): Promise<RealisasiState> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `./api${path}`);
    xhr.setRequestHeader('authorization', `tma ${launch.initData}`);
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    if (file.type) xhr.setRequestHeader('content-type', file.type);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiFailure(0, 'Koneksi terputus. Periksa jaringan lalu coba lagi.', {}));
    xhr.onload = () => {
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json as unknown as RealisasiState);
      else reject(new ApiFailure(xhr.status, typeof json.error === 'string' ? json.error : 'Berkas tidak dapat diunggah.', json));
    };
    xhr.send(file);
  });
}

export function Realisasi(props: { onBack: () => void }) {
  const [state, setState] = useState<RealisasiState | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, number>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const timer = useRef<number | undefined>(undefined);

  const load = (s: RealisasiState) => {
    setState(s);
    setValues(Object.fromEntries(s.rhk.map((r) => [r.id, r.realisasi])));
  };
  const open = (period?: string) => {
    setError(null);
    api<RealisasiState>('GET', period ? `/realisasi?period=${encodeURIComponent(period)}` : '/realisasi')
      .then(load)
      .catch((e: Error) => setError(e.message));
  };
  useEffect(() => open(), []);

  const q = state ? `?period=${state.period}` : '';
  const save = async (next: Record<string, string>) => {
    setSaving(true);
    try {
      setState(await api<RealisasiState>('PUT', `/realisasi/draft${q}`, { values: next }));
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };
  const change = (rhkId: string, value: string) => {
    const next = { ...values, [rhkId]: value };
    setValues(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void save(next), SAVE_DELAY_MS);
  };
  const addFile = async (rhkId: string, file: File | undefined) => {
    if (!file || !state) return;
    setError(null);
    if (file.size > state.maxFileBytes) return setError(t.fileTooBig(t.fileSize(state.maxFileBytes)));
    setProgress({ ...progress, [rhkId]: 0 });
    try {
      const next = await upload(`/realisasi/evidence${q}&rhk=${encodeURIComponent(rhkId)}`, file, (share) => setProgress((p) => ({ ...p, [rhkId]: share })));
      setState(next);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : String(e));
    } finally {
      setProgress((p) => {
        const { [rhkId]: _, ...rest } = p;
        return rest;
      });
    }
  };
  const submit = async () => {
    setError(null);
    try {
      window.clearTimeout(timer.current);
      await save(values);
      await api('POST', `/realisasi/submit${q}`);
      setSubmitted(true);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : String(e));
    }
  };

  if (!state) return <Screen title={t.realisasiTitle('')} onBack={props.onBack}>{error ? <p class="error">{error}</p> : <p class="hint">{t.loading}</p>}</Screen>;
  if (submitted) {
    return (
      <Screen title={t.realisasiTitle(state.periodLabel)} onBack={props.onBack}>
        <p class="notice ok">{t.realisasiSent}</p>
      </Screen>
    );
  }
  const done = state.rhk.filter((r) => !state.problems.some((p) => p.rhkNo === state.rhk.indexOf(r) + 1)).length;
  return (
    <Screen title={t.realisasiTitle(state.periodLabel)} onBack={props.onBack}>
      <p class="hint">
        {t.deadline(state.deadlineLabel)} · {t.progress(done, state.rhk.length)}
      </p>
      {state.lateUnsent && (
        <p class="notice warn" data-testid="late-unsent">
          {t.lateUnsent(state.lateUnsent.periodLabel, state.lateUnsent.deadlineLabel)}{' '}
          <button type="button" onClick={() => open(state.lateUnsent!.period)}>
            {t.openLate(state.lateUnsent.periodLabel)}
          </button>
        </p>
      )}
      {state.returned && <p class="notice warn">{t.returnedBy(state.returned.byNama, state.returned.reason)}</p>}
      {state.late && <p class="notice warn">{t.lateSend}</p>}
      {!state.editable && <p class="notice">{STATUS_LABELS[state.status] ?? state.status}</p>}
      {state.rhk.map((r, i) => (
        <section class="card" data-testid={`realisasi-${i + 1}`}>
          <b>
            {t.rhkNo(i + 1)}. {r.text}
          </b>
          <div class="hint">{r.indikator.map((x) => `${ASPEK_LABELS[x.aspek] ?? x.aspek}: ${x.target}`).join(' · ')}</div>
          <label>
            {t.realisasi}
            <textarea rows={2} disabled={!state.editable} value={values[r.id] ?? ''} onInput={(e) => change(r.id, e.currentTarget.value)} />
          </label>
          <div class="label">{t.bukti}</div>
          <ul class="files">
            {r.bukti.map((b) => (
              <li>
                📎 {b.name ?? 'berkas'} <span class="hint">({t.fileSize(b.sizeBytes)})</span>
              </li>
            ))}
          </ul>
          {progress[r.id] !== undefined && <progress max={1} value={progress[r.id]} />}
          {state.editable && (
            <label class="upload">
              {t.addFile}
              <input type="file" accept={ACCEPT} onChange={(e) => void addFile(r.id, e.currentTarget.files?.[0])} />
            </label>
          )}
        </section>
      ))}
      {error && <p class="error">{error}</p>}
      {state.editable && (
        <div class="bar">
          <span class="hint">{saving ? t.saving : t.saved}</span>
          <button type="button" disabled={state.problems.length > 0 || saving} onClick={submit}>
            {t.sendRealisasi}
          </button>
        </div>
      )}
    </Screen>
  );
}
