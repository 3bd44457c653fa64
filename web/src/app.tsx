import { LocationProvider, Route, Router } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { get, refreshSession, signOut, whenSignedOut } from './api/client';
import type { User } from './api/types';
import { Layout } from './components/layout';
import { Loading } from './components/ui';
import { AdminAudit } from './pages/admin-audit';
import { AdminUsers } from './pages/admin-users';
import { AssetPage } from './pages/asset';
import { Browse } from './pages/browse';
import { DataSourceDetail } from './pages/datasource-detail';
import { DataSourceEdit } from './pages/datasource-form';
import { DataSources } from './pages/datasources';
import { NotFound } from './pages/not-found';
import { RunPage } from './pages/run';
import { Search } from './pages/search';
import { SignIn } from './pages/sign-in';
import { TaskDetail } from './pages/task-detail';
import { TaskEdit } from './pages/task-form';
import { Tasks } from './pages/tasks';
import { WebhookDetail } from './pages/webhook-detail';
import { Webhooks } from './pages/webhooks';
import { SessionContext } from './session';

type State = { phase: 'starting' } | { phase: 'signed-out' } | { phase: 'signed-in'; user: User };

export function App() {
  const [state, setState] = useState<State>({ phase: 'starting' });
  const loadUser = async () => setState({ phase: 'signed-in', user: await get<User>('/me') });
  useEffect(() => {
    whenSignedOut(() => setState({ phase: 'signed-out' }));
    // A reload keeps the session through the HttpOnly refresh cookie.
    void refreshSession().then((ok) => (ok ? loadUser() : setState({ phase: 'signed-out' })));
  }, []);
  if (state.phase === 'starting') return <Loading what="Starting" />;
  if (state.phase === 'signed-out') return <SignIn onSignedIn={() => void loadUser()} />;
  const session = {
    user: state.user,
    signOut: async () => {
      await signOut().catch(() => undefined);
      setState({ phase: 'signed-out' });
    },
  };
  return (
    <SessionContext.Provider value={session}>
      <LocationProvider>
        <Layout>
          <Router>
            <Route path="/" component={Browse} />
            <Route path="/browse/:source" component={Browse} />
            <Route path="/browse/:source/:namespace" component={Browse} />
            <Route path="/search" component={Search} />
            <Route path="/assets/:id" component={AssetPage} />
            <Route path="/datasources" component={DataSources} />
            <Route path="/datasources/new" component={DataSourceEdit} />
            <Route path="/datasources/:id/edit" component={DataSourceEdit} />
            <Route path="/datasources/:id" component={DataSourceDetail} />
            <Route path="/tasks" component={Tasks} />
            <Route path="/tasks/new" component={TaskEdit} />
            <Route path="/tasks/:id/edit" component={TaskEdit} />
            <Route path="/tasks/:id/runs/:run" component={RunPage} />
            <Route path="/tasks/:id" component={TaskDetail} />
            <Route path="/webhooks" component={Webhooks} />
            <Route path="/webhooks/:id" component={WebhookDetail} />
            <Route path="/admin/users" component={AdminUsers} />
            <Route path="/admin/audit" component={AdminAudit} />
            <Route default component={NotFound} />
          </Router>
        </Layout>
      </LocationProvider>
    </SessionContext.Provider>
  );
}
