import { App, Form, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../common/roles.js';
import { createGrant, type User } from '../../api/users';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { roleOptions } from '../../components/labels';
import { UnitPicker } from '../../components/UnitPicker';

interface Values {
  role: Role;
  unitId: number;
}

/** Give a user a role over one unit's whole subtree. */
export function GrantModal({ user, onClose, onSaved }: { user: User; onClose(): void; onSaved(): Promise<void> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const report = useReportError();
  const required = { required: true, message: t('common.required') };
  const submit = async (v: Values) => {
    try {
      await createGrant({ userId: user.id, role: v.role, unitId: v.unitId });
      void message.success(t('grants.created'));
      await onSaved();
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: ['role', 'unitId'] });
      throw e;
    }
  };
  return (
    <FormModal title={t('grants.addTitle', { name: user.displayName || user.username })} open form={form} onCancel={onClose} onSubmit={submit} submitText={t('users.addGrant')} submitTestId="grant-submit">
      <Form.Item name="role" label={t('grants.role')} rules={[required]}>
        <Select options={roleOptions(t)} data-testid="grant-role" />
      </Form.Item>
      <Form.Item name="unitId" label={t('grants.unit')} extra={t('grants.unitHelp')} rules={[required]}>
        <UnitPicker data-testid="grant-unit" />
      </Form.Item>
    </FormModal>
  );
}
