import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { login } from './api';
import { useI18n } from './i18n';
import { useSession } from './session';

/** The phone's sign-in: the same account and cookie session as the console. */
export function LoginPage() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t('form.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      signIn(await login({ username: username.trim(), password }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('login.wrong'));
      else if (err instanceof ApiError && err.status === 429) setError(t('login.throttled', { seconds: err.retryAfter ?? 60 }));
      else if (err instanceof ApiError && err.code === 'network') setError(t('app.offline'));
      else setError(t('app.error'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="m-card m-login" onSubmit={submit} noValidate>
      <h1>{t('login.title')}</h1>
      <p className="m-muted">{t('login.hint')}</p>
      <label className="m-field">
        <span>{t('login.username')}</span>
        <input data-testid="m-login-username" autoComplete="username" autoCapitalize="none" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label className="m-field">
        <span>{t('login.password')}</span>
        <input data-testid="m-login-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && (
        <p className="m-error" role="alert" data-testid="m-login-error">
          {error}
        </p>
      )}
      <button className="m-button m-primary" type="submit" disabled={busy} data-testid="m-login-submit">
        {t('login.submit')}
      </button>
    </form>
  );
}
