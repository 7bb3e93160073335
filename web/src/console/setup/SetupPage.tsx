import { useState } from 'react';
import { Button, Flex, Form, Input, Steps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router-dom';
import { SetupBody } from '../../../../common/schemas/auth.js';
import { ApiError } from '../../api/client';
import { completeSetup } from '../../api/auth';
import { applyFieldErrors, useReportError } from '../../components/apiErrors';
import { zodRule } from '../../components/zodRule';
import { useSession } from '../../state/session';
import { AuthFrame } from '../login/AuthFrame';
import { NextSteps } from './NextSteps';

interface Values {
  token: string;
  organisation: string;
  username: string;
  password: string;
  password2: string;
}
const FIELDS = ['token', 'organisation', 'username', 'password'] as const;

/** First run: the printed token, then the organisation and its first administrator, then a way on. */
export function SetupPage() {
  const { t } = useTranslation();
  const { status, setMe } = useSession();
  const [form] = Form.useForm<Values>();
  const report = useReportError();
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState(false);

  if (status && !status.needsSetup && step < 2) return <Navigate to="/" replace />;

  // Only the token is checked here: the whole form's submit would trip over the next step's fields.
  const next = () =>
    form.validateFields(['token']).then(
      () => setStep(1),
      () => undefined,
    );
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const me = await completeSetup({ token: v.token.trim(), organisation: v.organisation.trim(), username: v.username.trim(), password: v.password });
      setMe(me);
      setStep(2);
    } catch (e) {
      if (e instanceof ApiError && e.fields.token) {
        // The token is on the first step: go back there so the user sees what is wrong.
        setStep(0);
        applyFieldErrors(form, new ApiError(e.status, e.code, e.message, { ...e.fields, token: t('setup.tokenWrong') }), FIELDS);
      } else report(e, { instance: form, fields: FIELDS });
    } finally {
      setBusy(false);
    }
  };
  const required = { required: true, message: t('common.required') };

  return (
    <AuthFrame width={step === 2 ? 760 : 520}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('setup.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('setup.subtitle')}</Typography.Paragraph>
      <Steps current={step} size="small" style={{ margin: '8px 0 24px' }} items={[{ title: t('setup.stepToken') }, { title: t('setup.stepAdmin') }, { title: t('setup.stepNext') }]} />
      {step < 2 && (
        <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={submit}>
          <Form.Item hidden={step !== 0} name="token" label={t('setup.token')} extra={t('setup.tokenHelp')} rules={[required, zodRule(SetupBody.shape.token)]}>
            <Input placeholder={t('setup.tokenPlaceholder')} autoComplete="off" autoFocus onPressEnter={(e) => (e.preventDefault(), next())} data-testid="setup-token" />
          </Form.Item>
          <Form.Item hidden={step !== 1} name="organisation" label={t('setup.organisation')} extra={t('setup.organisationHelp')} rules={[required, zodRule(SetupBody.shape.organisation)]}>
            <Input placeholder={t('setup.organisationPlaceholder')} data-testid="setup-org" />
          </Form.Item>
          <Form.Item hidden={step !== 1} name="username" label={t('setup.username')} extra={t('setup.usernameHelp')} rules={[required, zodRule(SetupBody.shape.username, t('users.usernameInvalid'))]}>
            <Input autoComplete="username" data-testid="setup-username" />
          </Form.Item>
          <Form.Item hidden={step !== 1} name="password" label={t('setup.password')} extra={t('setup.passwordHelp')} rules={[required, zodRule(SetupBody.shape.password)]}>
            <Input.Password autoComplete="new-password" data-testid="setup-password" />
          </Form.Item>
          <Form.Item
            hidden={step !== 1}
            name="password2"
            label={t('setup.password2')}
            dependencies={['password']}
            rules={[
              required,
              ({ getFieldValue }) => ({
                validator: async (_r, v) => {
                  if (v && v !== getFieldValue('password')) throw new Error(t('setup.mismatch'));
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="setup-password2" />
          </Form.Item>
          <Flex justify="flex-end" gap={8}>
            {step === 1 && (
              <Button key="back" onClick={() => setStep(0)}>
                {t('common.previous')}
              </Button>
            )}
            {step === 0 ? (
              <Button key="next" type="primary" onClick={next} data-testid="setup-next">
                {t('common.next')}
              </Button>
            ) : (
              <Button key="submit" type="primary" htmlType="submit" loading={busy} data-testid="setup-submit">
                {t('setup.submit')}
              </Button>
            )}
          </Flex>
        </Form>
      )}
      {step === 2 && <NextSteps />}
    </AuthFrame>
  );
}
