// The Mini App's page: who the user is, then the screen they came for (SKP, tasks, review, dashboard).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { Dashboard, EmployeeLog, UnitEmployees } from './dashboard.tsx';
import { Realisasi } from './realisasi.tsx';
import { Review, Tasks } from './review.tsx';
import { Screen, SkpEditor } from './skp.tsx';
import { launch, startTelegram } from './telegram.ts';
import { t } from './texts.ts';

interface Me {
  nama: string;
  nip: string;
  jabatan: string;
  perangkatDaerah: string;
  roles: string[];
}

type Route = { screen: 'home' } | { screen: 'skp' } | { screen: 'realisasi' } | { screen: 'tugas' } | { screen: 'kasus'; caseId: string } | { screen: 'rekap' } | { screen: 'pegawai'; employeeId: string } | { screen: 'unit'; pdId: string };

function initialRoute(): Route {
  const screen = new URLSearchParams(location.search).get('screen');
  if (screen === 'skp' || screen === 'realisasi' || screen === 'tugas' || screen === 'rekap') return { screen };
  return { screen: 'home' };
}

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stack, setStack] = useState<Route[]>([initialRoute()]);
  const route = stack[stack.length - 1]!;
  const go = (next: Route) => setStack([...stack, next]);
  const back = () => setStack(stack.length > 1 ? stack.slice(0, -1) : [{ screen: 'home' }]);

  useEffect(() => {
    if (!launch.initData) return setError('Buka aplikasi ini dari tombol di obrolan bot Telegram.');
    api<Me>('GET', '/me')
      .then(setMe)
      .catch((e: Error) => setError(e.message));
  }, []);

  if (error) return <Screen title="Kinerja">{<p class="error" data-testid="error">{error}</p>}</Screen>;
  // A screen opened by a button loads its own data at once; only the home screen waits for who the user is.
  if (!me && route.screen === 'home') return <Screen title="Kinerja">{<p class="hint">{t.loading}</p>}</Screen>;
  const reviewer = me?.roles.some((r) => r !== 'asn') ?? false;

  switch (route.screen) {
    case 'skp':
      return <SkpEditor onBack={back} />;
    case 'realisasi':
      return <Realisasi onBack={back} />;
    case 'tugas':
      return <Tasks onBack={back} onOpen={(caseId) => go({ screen: 'kasus', caseId })} />;
    case 'kasus':
      return <Review caseId={route.caseId} onBack={back} />;
    case 'rekap':
      return <Dashboard onBack={back} onEmployee={(employeeId) => go({ screen: 'pegawai', employeeId })} onUnit={(pdId) => go({ screen: 'unit', pdId })} />;
    case 'unit':
      return <UnitEmployees pdId={route.pdId} onBack={back} onEmployee={(employeeId) => go({ screen: 'pegawai', employeeId })} />;
    case 'pegawai':
      return <EmployeeLog employeeId={route.employeeId} onBack={back} />;
    case 'home':
      return (
        <Screen title={t.greeting(me!.nama)}>
          <p class="hint" data-testid="me">
            {me!.jabatan} · {me!.perangkatDaerah}
          </p>
          <nav class="menu">
            <button type="button" onClick={() => go({ screen: 'skp' })}>
              {t.mySkp}
            </button>
            <button type="button" onClick={() => go({ screen: 'realisasi' })}>
              {t.myRealisasi}
            </button>
            {reviewer && (
              <button type="button" onClick={() => go({ screen: 'tugas' })}>
                {t.tasks}
              </button>
            )}
            {reviewer && (
              <button type="button" onClick={() => go({ screen: 'rekap' })}>
                {t.dashboard}
              </button>
            )}
          </nav>
        </Screen>
      );
  }
}

startTelegram();
const root = document.getElementById('app')!;
// The static "Memuat…" placeholder goes; the app takes the element over.
root.textContent = '';
render(<App />, root);
