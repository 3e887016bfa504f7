import { NavLink, Route, Routes, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { post, setCsrfToken } from './lib/api';
import { hasRole, SessionGate, useSession } from './lib/session';
import { LoginPage } from './pages/LoginPage';
import { QueuesPage } from './pages/QueuesPage';
import { ItemPage } from './pages/ItemPage';
import { StatsPage } from './pages/StatsPage';
import { DecisionsPage } from './pages/DecisionsPage';
import { AuditPage } from './pages/AuditPage';
import { FairnessPage } from './pages/FairnessPage';
import { UsersPage } from './pages/UsersPage';
import { NotFoundPage } from './pages/NotFoundPage';

export function App() {
  return (
    <SessionGate login={<LoginPage />}>
      <Shell />
    </SessionGate>
  );
}

function Shell() {
  const { session } = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const works = hasRole(session, 'moderator', 'lead', 'admin');
  const leads = hasRole(session, 'lead', 'admin');
  const audits = hasRole(session, 'auditor', 'lead', 'admin');
  const admin = hasRole(session, 'admin');
  const logout = async () => {
    await post('/v1/console/logout');
    setCsrfToken(undefined);
    client.clear();
    await navigate('/');
    await client.invalidateQueries();
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">clipguard</span>
        <nav aria-label="Main">
          {works && <NavLink to="/queues">Queues</NavLink>}
          {leads && <NavLink to="/stats">Stats</NavLink>}
          {audits && <NavLink to="/decisions">Decisions</NavLink>}
          {audits && <NavLink to="/audit">Audit log</NavLink>}
          {audits && <NavLink to="/fairness">Fairness</NavLink>}
          {admin && <NavLink to="/users">Users</NavLink>}
        </nav>
        <span className="who">
          <span>
            {session.user.display_name}
            <small> · {session.memberships.map((m) => `${m.tenant}: ${m.role}`).join(', ')}</small>
          </span>
          <button type="button" className="link" onClick={() => void logout()}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main">
        <Routes>
          <Route path="/" element={works ? <QueuesPage /> : audits ? <DecisionsPage /> : <UsersPage />} />
          <Route path="/queues" element={<QueuesPage />} />
          <Route path="/queues/:queue" element={<QueuesPage />} />
          <Route path="/items/:id" element={<ItemPage />} />
          <Route path="/stats" element={<StatsPage />} />
          <Route path="/decisions" element={<DecisionsPage />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="/fairness" element={<FairnessPage />} />
          <Route path="/users" element={<UsersPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </main>
    </div>
  );
}
