import { App, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { PasswordChange } from '../../../../common/schemas/auth.js';
import { changePassword } from '../../api/auth';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { zodRule } from '../../components/zodRule';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}
const FIELDS = ['currentPassword', 'newPassword'] as const;

/** Change one's own password; the server ends the user's other sessions. */
export function PasswordModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const report = useReportError();
  const { message } = App.useApp();
  const submit = async (v: Values) => {
    try {
      await changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword });
      void message.success(t('password.done'));
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: FIELDS });
      throw e;
    }
  };
  return (
    <FormModal title={t('password.title')} open={open} form={form} onCancel={onClose} onSubmit={submit}>
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.next')}
        extra={t('password.help')}
        rules={[{ required: true, message: t('common.required') }, zodRule(PasswordChange.shape.newPassword)]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('common.required') },
          ({ getFieldValue }) => ({
            validator: async (_r, v) => {
              if (v && v !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}
