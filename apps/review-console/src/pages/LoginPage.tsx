import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ConsoleSession } from '@clipguard/contracts/console';
import { ApiError, post, setCsrfToken } from '../lib/api';
import { SESSION_KEY } from '../lib/session';

export function LoginPage() {
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await post<ConsoleSession>('/v1/console/login', { email, password });
      setCsrfToken(s.csrf_token);
      client.setQueryData(SESSION_KEY, s);
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'LOGIN_RATE_LIMITED'
          ? 'Too many attempts. Wait a few minutes and try again.'
          : err instanceof ApiError && err.status === 401
            ? 'Wrong email or password, or the account is disabled.'
            : `Sign-in failed: ${(err as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login" id="main">
      <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">clipguard review console</h1>
        <p className="muted">Sign in with the account your administrator gave you.</p>
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
