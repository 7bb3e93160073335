import { useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { login } from '../../api/auth';
import { describeError } from '../../components/apiErrors';
import { useSession } from '../../state/session';
import { AuthFrame } from './AuthFrame';

interface Values {
  username: string;
  password: string;
}

/** Only same-site paths: a `next` pointing elsewhere would make this page an open redirect. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const { me, setMe, status } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [blockedUntil, setBlockedUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const next = safeNext(params.get('next'));

  // Count the throttle down once a second, then let the user try again.
  useEffect(() => {
    if (blockedUntil <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [blockedUntil]);
  const secondsLeft = Math.max(0, Math.ceil((blockedUntil - now) / 1000));

  if (me) return <Navigate to={next} replace />;

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const m = await login({ username: v.username.trim(), password: v.password });
      setMe(m);
      navigate(next, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setError(t('login.wrong'));
      else if (e instanceof ApiError && e.status === 429) {
        setBlockedUntil(Date.now() + (e.retryAfter ?? 60) * 1000);
        setNow(Date.now());
      } else setError(describeError(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame>
      <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 24 }}>
        {t('login.title')}
      </Typography.Title>
      {status?.demo && <Alert type="info" showIcon title={t('login.demoHint')} style={{ marginBottom: 16 }} />}
      {secondsLeft > 0 && <Alert type="warning" showIcon title={t('login.throttled', { n: secondsLeft })} style={{ marginBottom: 16 }} data-testid="login-error" />}
      {error && secondsLeft === 0 && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form<Values> layout="vertical" onFinish={submit} requiredMark={false} size="large">
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('common.required') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} disabled={secondsLeft > 0} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </AuthFrame>
  );
}
