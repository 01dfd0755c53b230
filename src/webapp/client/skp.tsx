// The ASN's SKP editor: every RHK with its indikator on one screen, checked as they type, saved as they go.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ASPEK, SKP_LIMITS, skpDraftProblems, skpFieldProblems, type DraftProblem, type FieldProblem, type RhkDraft } from '../../domain/skp-rules.ts';
import { api, ApiFailure } from './api.ts';
import { ASPEK_LABELS, STATUS_LABELS, draftProblemText, fieldProblemText, t } from './texts.ts';

interface SkpState {
  caseId: string;
  year: string;
  status: string;
  editable: boolean;
  title: string;
  draft: { rhk: RhkDraft[] };
  needsIntervensi: boolean;
  atasanOptions: Array<{ id: string; text: string }>;
  returned: { reason: string; byNama: string | null } | null;
  deadline: { label: string; today: boolean; passed: boolean };
}

type SaveState = 'saved' | 'saving' | 'dirty' | 'error';
const SAVE_DELAY_MS = 700;

const newId = () => Math.random().toString(16).slice(2, 10);
const emptyRhk = (): RhkDraft => ({ id: newId(), text: '', indikator: [{ aspek: 'kuantitas', target: '' }] });

export function SkpEditor(props: { onBack: () => void }) {
  const [state, setState] = useState<SkpState | null>(null);
  const [rhk, setRhk] = useState<RhkDraft[]>([]);
  const [save, setSave] = useState<SaveState>('saved');
  const [error, setError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const pending = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    api<SkpState>('GET', '/skp')
      .then((s) => {
        setState(s);
        setRhk(s.draft.rhk);
      })
      .catch((e: Error) => setError(e.message));
  }, []);

  const fieldProblems = skpFieldProblems({ rhk });
  const draftProblems: DraftProblem[] = skpDraftProblems({ rhk });
  const problemAt = (rhkNo: number, field: FieldProblem['field'], indikatorNo?: number) =>
    fieldProblems.find((p) => 'rhkNo' in p && p.rhkNo === rhkNo && p.field === field && (indikatorNo === undefined || ('indikatorNo' in p && p.indikatorNo === indikatorNo)));

  const persist = (next: RhkDraft[]) => {
    // Saved only when every field is acceptable (the same limits as the chat); the page keeps the rest.
    if (skpFieldProblems({ rhk: next }).length > 0) return setSave('dirty');
    setSave('saving');
    pending.current = pending.current.then(() =>
      api('PUT', '/skp/draft', { rhk: next })
        .then(() => setSave('saved'))
        .catch((e: Error) => {
          setSave('error');
          setError(e.message);
        }),
    );
  };

  const change = (next: RhkDraft[]) => {
    setRhk(next);
    setSave('dirty');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => persist(next), SAVE_DELAY_MS);
  };
  const update = (index: number, patch: Partial<RhkDraft>) => change(rhk.map((r, i) => (i === index ? { ...r, ...patch } : r)));

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      window.clearTimeout(timer.current);
      persist(rhk);
      await pending.current;
      await api('POST', '/skp/submit');
      setSubmitted(true);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (!state) return <Screen title={t.mySkp} onBack={props.onBack}>{error ? <p class="error">{error}</p> : <p class="hint">{t.loading}</p>}</Screen>;

  if (submitted) {
    return (
      <Screen title={t.skpTitle(state.year)} onBack={props.onBack}>
        <p class="notice ok" data-testid="skp-submitted">{t.submitted}</p>
      </Screen>
    );
  }

  if (!state.editable) {
    return (
      <Screen title={t.skpTitle(state.year)} onBack={props.onBack}>
        <p class="notice">{t.notEditable}</p>
        <p>
          {t.status}: <b>{STATUS_LABELS[state.status] ?? state.status}</b>
        </p>
        <ReadOnlyRhk rhk={rhk} />
      </Screen>
    );
  }

  return (
    <Screen title={t.skpTitle(state.year)} onBack={props.onBack}>
      {state.deadline.passed ? (
        <p class="notice warn" data-testid="skp-deadline">{t.skpDeadlinePassed(state.deadline.label)}</p>
      ) : (
        <p class="hint" data-testid="skp-deadline">{t.skpDeadline(state.deadline.label, state.deadline.today)}</p>
      )}
      {state.returned && <p class="notice warn">{t.returnedBy(state.returned.byNama, state.returned.reason)}</p>}
      {rhk.map((r, i) => (
        <fieldset class="card" key={r.id} data-testid={`rhk-${i + 1}`}>
          <legend>{t.rhkNo(i + 1)}</legend>
          <label>
            {t.rhkText}
            <textarea rows={2} maxLength={SKP_LIMITS.maxRhkText + 50} value={r.text} onInput={(e) => update(i, { text: e.currentTarget.value })} />
          </label>
          <FieldError problem={problemAt(i + 1, 'text')} />
          <label>
            {t.jenis}
            <select value={r.jenis ?? ''} onChange={(e) => update(i, { jenis: (e.currentTarget.value || undefined) as RhkDraft['jenis'] })}>
              <option value="">{t.choose}</option>
              <option value="utama">{t.utama}</option>
              <option value="tambahan">{t.tambahan}</option>
            </select>
          </label>
          <div class="indikator">
            <span class="label">{t.indikator}</span>
            {r.indikator.map((ind, j) => (
              <div class="row" key={j}>
                <select aria-label={t.aspek} value={ind.aspek} onChange={(e) => update(i, { indikator: r.indikator.map((x, k) => (k === j ? { ...x, aspek: e.currentTarget.value as typeof x.aspek } : x)) })}>
                  {ASPEK.map((a) => (
                    <option value={a}>{ASPEK_LABELS[a]}</option>
                  ))}
                </select>
                <input aria-label={t.target} placeholder={t.target} value={ind.target} onInput={(e) => update(i, { indikator: r.indikator.map((x, k) => (k === j ? { ...x, target: e.currentTarget.value } : x)) })} />
                <button type="button" class="link" onClick={() => update(i, { indikator: r.indikator.filter((_, k) => k !== j) })}>
                  {t.remove}
                </button>
                <FieldError problem={problemAt(i + 1, 'target', j + 1)} />
              </div>
            ))}
            {r.indikator.length < SKP_LIMITS.maxIndikator && (
              <button type="button" class="secondary" onClick={() => update(i, { indikator: [...r.indikator, { aspek: 'kuantitas', target: '' }] })}>
                {t.addIndikator}
              </button>
            )}
          </div>
          {state.needsIntervensi && state.atasanOptions.length > 0 && (
            <label>
              {t.rhkAtasan}
              <select value={r.rhkAtasanId ?? ''} onChange={(e) => update(i, { rhkAtasanId: e.currentTarget.value || null })}>
                <option value="">{t.noRhkAtasan}</option>
                {state.atasanOptions.map((o) => (
                  <option value={o.id}>{o.text}</option>
                ))}
              </select>
            </label>
          )}
          <button type="button" class="link danger" onClick={() => change(rhk.filter((_, k) => k !== i))}>
            {t.remove} {t.rhkNo(i + 1)}
          </button>
        </fieldset>
      ))}
      {rhk.length < SKP_LIMITS.maxRhk && (
        <button type="button" class="secondary" data-testid="add-rhk" onClick={() => change([...rhk, emptyRhk()])}>
          {t.addRhk}
        </button>
      )}
      <ul class="problems">
        {draftProblems.map((p) => (
          <li>{draftProblemText(p)}</li>
        ))}
      </ul>
      {error && <p class="error">{error}</p>}
      <div class="bar">
        <span class="hint" data-testid="save-state">
          {save === 'saving' ? t.saving : save === 'saved' ? t.saved : t.notSaved}
        </span>
        <button type="button" data-testid="submit-skp" disabled={busy || draftProblems.length > 0 || fieldProblems.length > 0} onClick={submit}>
          {t.submit}
        </button>
      </div>
    </Screen>
  );
}

function FieldError(props: { problem: FieldProblem | undefined }) {
  return props.problem ? <span class="field-error">{fieldProblemText(props.problem)}</span> : null;
}

function ReadOnlyRhk(props: { rhk: RhkDraft[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>RHK</th>
          <th>{t.indikator}</th>
        </tr>
      </thead>
      <tbody>
        {props.rhk.map((r, i) => (
          <tr>
            <td>
              {i + 1}. {r.text}
            </td>
            <td>
              {r.indikator.map((x) => (
                <div>
                  {ASPEK_LABELS[x.aspek]}: {x.target}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Screen(props: { title: string; onBack?: () => void; children?: ComponentChildren }) {
  return (
    <main>
      <header>
        {props.onBack && (
          <button type="button" class="link" onClick={props.onBack}>
            {t.back}
          </button>
        )}
        <h1>{props.title}</h1>
      </header>
      {props.children}
    </main>
  );
}
