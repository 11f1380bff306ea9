// The signed-in frame: header, left navigation, and the screen of the current hash route (loaded on
// demand, so each screen's code is its own chunk).
import { Suspense } from 'react';
import { makeStyles, tokens } from '@fluentui/react-components';
import { Loading } from '../components/loading';
import { usePath } from '../router';
import { findRoute, notFoundPage } from '../routes';
import { Header } from './header';
import { Navigation } from './navigation';

const useStyles = makeStyles({
  shell: {
    display: 'grid',
    gridTemplateAreas: '"header header" "nav main"',
    gridTemplateRows: '48px 1fr',
    gridTemplateColumns: 'auto 1fr',
    height: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  main: { gridArea: 'main', overflow: 'auto', backgroundColor: tokens.colorNeutralBackground1 },
});

export function Shell() {
  const styles = useStyles();
  const path = usePath();
  const { route, params, navPath } = findRoute(path);
  const Screen = route?.page ?? notFoundPage;
  return (
    <div className={styles.shell}>
      <Header />
      <Navigation selected={navPath} />
      <main className={styles.main}>
        <Suspense fallback={<div style={{ padding: 24 }}><Loading /></div>}>
          {/* Keyed by path: another screen, or the same one for another object, starts fresh. */}
          <Screen key={path} params={params} />
        </Suspense>
      </main>
    </div>
  );
}
