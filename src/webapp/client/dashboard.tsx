// The dashboard of the pengelola and BKPP: the recap per perangkat daerah, overdue steps with Ingatkan, drill-down.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiFailure } from './api.ts';
import { Screen } from './skp.tsx';
import { EVENT_LABELS, SKP_STATE_LABELS, STATUS_LABELS, t } from './texts.ts';

interface Unit {
  pdId: string;
  pdName: string;
  employees: number;
  linked: number;
  skp: Record<string, number>;
  overdue: { count: number };
  predikat: Record<string, number>;
}
interface Overdue {
  caseId: string;
  version: number;
  subjectId: string;
  subjectNama: string;
  pdName: string;
  stepLabel: string;
  holderNama: string | null;
  overMinutes: number;
}
interface Recap {
  units: Unit[];
  total: { employees: number; linked: number; skp: Record<string, number>; predikat: Record<string, number> };
  overdue: { total: number; rows: Overdue[] };
}
interface CaseLog {
  caseId: string;
  procedureTitle: string;
  period: string;
  status: string;
  stepLabel: string;
  subjectNama: string;
  holderNama: string | null;
  skpState: string | null;
  predikat: string | null;
  /** `atLabel`: the time in the agency's zone, written by the server. */
  events: Array<{ id: number; at: string; atLabel: string; action: string; actorNama: string | null; comment: string | null }>;
}

const PREDIKAT_ORDER = ['sangat_baik', 'baik', 'butuh_perbaikan', 'kurang', 'sangat_kurang'];
const PREDIKAT_LABELS: Record<string, string> = {
  sangat_baik: 'Sangat baik',
  baik: 'Baik',
  butuh_perbaikan: 'Butuh perbaikan',
  kurang: 'Kurang',
  sangat_kurang: 'Sangat kurang',
};
const ESTABLISHED = ['established', 'forwarded', 'received'];
const share = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`);

export function Dashboard(props: { onBack: () => void; onEmployee: (id: string) => void; onUnit: (pdId: string) => void }) {
  const [recap, setRecap] = useState<Recap | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reminded, setReminded] = useState<Record<string, string>>({});
  const [exported, setExported] = useState<string | null>(null);
  const exportIt = async () => {
    setExported(t.exporting);
    try {
      setExported((await api<{ message: string }>('POST', '/export', {})).message);
    } catch (e) {
      setExported(e instanceof ApiFailure ? e.message : String(e));
    }
  };
  useEffect(() => {
    api<Recap>('GET', '/recap')
      .then(setRecap)
      .catch((e: Error) => setError(e.message));
  }, []);

  const remind = async (row: Overdue) => {
    try {
      const r = await api<{ message: string }>('POST', `/overdue/${row.caseId}/remind`, { version: row.version });
      setReminded({ ...reminded, [row.caseId]: r.message });
    } catch (e) {
      setReminded({ ...reminded, [row.caseId]: e instanceof ApiFailure ? e.message : String(e) });
    }
  };

  if (!recap) return <Screen title={t.dashboard} onBack={props.onBack}>{error ? <p class="error">{error}</p> : <p class="hint">{t.loading}</p>}</Screen>;
  const established = (skp: Record<string, number>) => ESTABLISHED.reduce((n, k) => n + (skp[k] ?? 0), 0);
  return (
    <Screen title={t.dashboard} onBack={props.onBack}>
      <div class="scroll">
        <table data-testid="recap-table">
          <thead>
            <tr>
              <th>{t.perangkatDaerah}</th>
              <th>{t.headcount}</th>
              <th>{t.linked}</th>
              <th>{t.established}</th>
              <th>{t.late}</th>
              <th>{t.distribution}</th>
            </tr>
          </thead>
          <tbody>
            {recap.units.map((u) => (
              <tr>
                <td>
                  <button type="button" class="link" data-testid="unit" onClick={() => props.onUnit(u.pdId)}>
                    {u.pdName}
                  </button>
                </td>
                <td class="num">{u.employees}</td>
                <td class="num">{share(u.linked, u.employees)}</td>
                <td class="num">{share(established(u.skp), u.employees)}</td>
                <td class="num">{u.overdue.count}</td>
                <td>
                  <Distribution predikat={u.predikat} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="bar">
        {exported && <span class="hint" data-testid="export-state">{exported}</span>}
        <button type="button" class="secondary" data-testid="export" disabled={exported === t.exporting} onClick={exportIt}>
          {t.exportIt}
        </button>
      </div>
      <h2>
        {t.overdueList} ({recap.overdue.total})
      </h2>
      {recap.overdue.rows.length === 0 && <p class="hint">{t.noData}</p>}
      <ul class="list">
        {recap.overdue.rows.map((row) => (
          <li class="item">
            <button type="button" class="link" onClick={() => props.onEmployee(row.subjectId)}>
              <b>{row.subjectNama}</b>
            </button>
            <span class="hint">
              {row.pdName} · {row.stepLabel} · {t.holder}: {row.holderNama ?? '—'}
            </span>
            {reminded[row.caseId] ? (
              <span class="notice">{reminded[row.caseId]}</span>
            ) : (
              <button type="button" class="secondary" onClick={() => remind(row)}>
                🔔 {t.remind}
              </button>
            )}
          </li>
        ))}
      </ul>
    </Screen>
  );
}

function Distribution(props: { predikat: Record<string, number> }) {
  const total = PREDIKAT_ORDER.reduce((n, k) => n + (props.predikat[k] ?? 0), 0);
  if (total === 0) return <span class="hint">—</span>;
  return (
    <div class="dist" title={PREDIKAT_ORDER.map((k) => `${PREDIKAT_LABELS[k]}: ${props.predikat[k] ?? 0}`).join(', ')}>
      {PREDIKAT_ORDER.map((k) => (
        <span class={`p-${k}`} style={{ flexGrow: props.predikat[k] ?? 0 }}>
          {props.predikat[k] ? props.predikat[k] : ''}
        </span>
      ))}
    </div>
  );
}

export function EmployeeLog(props: { employeeId: string; onBack: () => void }) {
  const [logs, setLogs] = useState<CaseLog[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ logs: CaseLog[] }>('GET', `/employees/${props.employeeId}/cases`)
      .then((r) => setLogs(r.logs))
      .catch((e: Error) => setError(e.message));
  }, [props.employeeId]);
  return (
    <Screen title={logs?.[0]?.subjectNama ?? t.history} onBack={props.onBack}>
      {error && <p class="error">{error}</p>}
      {logs && logs.length === 0 && <p class="hint">{t.noData}</p>}
      {logs?.map((c) => (
        <section class="card">
          <h2>
            {c.procedureTitle} · {c.period}
          </h2>
          <p class="hint">
            {STATUS_LABELS[c.status] ?? c.status} · {c.stepLabel}
            {c.skpState ? ` · ${SKP_STATE_LABELS[c.skpState] ?? ''}` : ''}
          </p>
          <ol class="events">
            {c.events.map((e) => (
              <li>
                {e.atLabel} — {EVENT_LABELS[e.action] ?? 'Perubahan'}
                {e.actorNama ? ` oleh ${e.actorNama}` : ''}
                {e.comment ? `: “${e.comment}”` : ''}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </Screen>
  );
}

export function UnitEmployees(props: { pdId: string; onBack: () => void; onEmployee: (id: string) => void }) {
  const [data, setData] = useState<{ pdName: string; total: number; employees: Array<{ id: string; nama: string; nip: string; jabatan: string; linked: boolean; skpState: string }> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<NonNullable<typeof data>>('GET', `/recap/units/${props.pdId}/employees`)
      .then(setData)
      .catch((e: Error) => setError(e.message));
  }, [props.pdId]);
  return (
    <Screen title={data?.pdName ?? t.perangkatDaerah} onBack={props.onBack}>
      {error && <p class="error">{error}</p>}
      {!data && !error && <p class="hint">{t.loading}</p>}
      <ul class="list">
        {data?.employees.map((e) => (
          <li>
            <button type="button" class="item" onClick={() => props.onEmployee(e.id)}>
              <b>{e.nama}</b>
              <span class="hint">
                {e.jabatan} · SKP: {SKP_STATE_LABELS[e.skpState] ?? '—'}
                {e.linked ? '' : ` · ${t.notLinked}`}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Screen>
  );
}
