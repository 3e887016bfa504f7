import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ROLES, type Membership, type Role } from '@clipguard/contracts/console';
import { api, get, post } from '../lib/api';
import { tenantsAs, useSession } from '../lib/session';

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  disabled: boolean;
  memberships: Membership[];
}

export function UsersPage() {
  const { session } = useSession();
  const client = useQueryClient();
  const tenants = tenantsAs(session, 'admin');
  const q = useQuery({ queryKey: ['users'], queryFn: () => get<{ users: UserRow[] }>('/v1/console/users') });
  const done = () => client.invalidateQueries({ queryKey: ['users'] });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: object }) => api('PATCH', `/v1/console/users/${id}`, body),
    onSuccess: done,
  });
  const [form, setForm] = useState({
    email: '',
    display_name: '',
    password: '',
    tenant: tenants[0] ?? '',
    role: 'moderator' as Role,
  });
  const create = useMutation({
    mutationFn: () =>
      post('/v1/console/users', {
        email: form.email,
        display_name: form.display_name,
        password: form.password,
        memberships: [{ tenant: form.tenant, role: form.role }],
      }),
    onSuccess: async () => {
      setForm({ ...form, email: '', display_name: '', password: '' });
      await done();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const setRole = (u: UserRow, tenant: string, role: Role) =>
    update.mutate({
      id: u.id,
      body: { memberships: [...u.memberships.filter((m) => m.tenant !== tenant), { tenant, role }] },
    });
  return (
    <section className="page" aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      {q.isError && <p className="error">{q.error.message}</p>}
      {update.isError && <p className="error">{update.error.message}</p>}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {q.data?.users.map((u) => (
            <tr key={u.id} className={u.disabled ? 'disabled-row' : ''}>
              <td>{u.display_name}</td>
              <td>{u.email}</td>
              <td>
                {u.memberships.map((m) => (
                  <label key={m.tenant} className="inline">
                    {m.tenant}{' '}
                    <select
                      value={m.role}
                      disabled={!tenants.includes(m.tenant)}
                      onChange={(e) => setRole(u, m.tenant, e.target.value as Role)}
                    >
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  </label>
                ))}
              </td>
              <td>{u.disabled ? 'disabled' : 'active'}</td>
              <td>
                <button
                  type="button"
                  className="small"
                  onClick={() => update.mutate({ id: u.id, body: { disabled: !u.disabled } })}
                >
                  {u.disabled ? 'Enable' : 'Disable'}
                </button>{' '}
                <button
                  type="button"
                  className="small"
                  onClick={() => {
                    const password = window.prompt(`New password for ${u.email} (at least 12 characters)`);
                    if (password) update.mutate({ id: u.id, body: { password } });
                  }}
                >
                  Reset password
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <form className="panel create-user" onSubmit={submit} aria-labelledby="create-title">
        <h2 id="create-title">Add a user</h2>
        <div className="filters">
          <label>
            Email
            <input
              type="email"
              required
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.target.value })}
            />
          </label>
          <label>
            Display name
            <input
              required
              value={form.display_name}
              onChange={(e) => setForm({ ...form, display_name: e.target.value })}
            />
          </label>
          <label>
            Password
            <input
              type="password"
              required
              minLength={12}
              autoComplete="new-password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
            />
          </label>
          <label>
            Tenant
            <select value={form.tenant} onChange={(e) => setForm({ ...form, tenant: e.target.value })}>
              {tenants.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Role
            <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" disabled={create.isPending}>
            Add
          </button>
        </div>
        {create.isError && <p className="error">{create.error.message}</p>}
      </form>
    </section>
  );
}
