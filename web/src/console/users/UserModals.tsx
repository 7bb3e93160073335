import { App, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { UserCreate } from '../../../../common/schemas/org.js';
import { updateUser, createUser, type User } from '../../api/users';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { PersonSelect } from '../../components/PersonSelect';
import { UnitPicker } from '../../components/UnitPicker';
import { emptyToNull, zodRule } from '../../components/zodRule';

interface CreateValues {
  username: string;
  password: string;
  displayName?: string;
  personId?: number;
  unitId?: number;
}
const CREATE_FIELDS = ['username', 'password', 'displayName', 'personId', 'unitId'] as const;

export function UserCreateModal({ onClose, onSaved }: { onClose(): void; onSaved(): Promise<void> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateValues>();
  const personId = Form.useWatch('personId', form);
  const { message } = App.useApp();
  const report = useReportError();
  const required = { required: true, message: t('common.required') };

  const submit = async (v: CreateValues) => {
    try {
      await createUser({
        username: v.username.trim(),
        password: v.password,
        displayName: emptyToNull(v.displayName),
        ...(v.personId ? { personId: v.personId } : v.unitId ? { unitId: v.unitId } : {}),
      });
      void message.success(t('users.created'));
      await onSaved();
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: CREATE_FIELDS });
      throw e;
    }
  };

  return (
    <FormModal title={t('users.createTitle')} open form={form} onCancel={onClose} onSubmit={submit} submitText={t('common.create')} submitTestId="user-form-submit">
      <Form.Item name="username" label={t('users.username')} extra={t('users.usernameHelp')} rules={[required, zodRule(UserCreate.shape.username, t('users.usernameInvalid'))]}>
        <Input autoFocus autoComplete="off" data-testid="user-form-username" />
      </Form.Item>
      <Form.Item name="password" label={t('users.password')} extra={t('users.passwordHelp')} rules={[required, zodRule(UserCreate.shape.password)]}>
        <Input.Password autoComplete="new-password" data-testid="user-form-password" />
      </Form.Item>
      <Form.Item name="displayName" label={t('users.displayName')} rules={[zodRule(UserCreate.shape.displayName)]}>
        <Input maxLength={60} data-testid="user-form-display-name" />
      </Form.Item>
      <Form.Item name="personId" label={t('users.person')} extra={t('users.personHelp')}>
        <PersonSelect
          placeholder={t('users.personPlaceholder')}
          onChange={(id, person) => {
            form.setFieldValue('personId', id);
            if (person) {
              form.setFieldValue('unitId', person.unitId);
              if (!form.getFieldValue('displayName')) form.setFieldValue('displayName', person.name);
            }
          }}
          data-testid="user-form-person"
        />
      </Form.Item>
      <Form.Item name="unitId" label={t('users.unit')} extra={t('users.unitHelp')}>
        <UnitPicker allowClear disabled={Boolean(personId)} data-testid="user-form-unit" />
      </Form.Item>
    </FormModal>
  );
}

export function ResetPasswordModal({ user, onClose }: { user: User; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ password: string }>();
  const { message } = App.useApp();
  const report = useReportError();
  const submit = async (v: { password: string }) => {
    try {
      await updateUser(user.id, { password: v.password });
      void message.success(t('users.resetDone'));
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: ['password'] });
      throw e;
    }
  };
  return (
    <FormModal title={t('users.resetTitle', { name: user.username })} open form={form} onCancel={onClose} onSubmit={submit} danger>
      <Form.Item name="password" label={t('users.newPassword')} extra={t('users.passwordHelp')} rules={[{ required: true, message: t('common.required') }, zodRule(UserCreate.shape.password)]}>
        <Input.Password autoFocus autoComplete="new-password" data-testid="reset-password" />
      </Form.Item>
    </FormModal>
  );
}
