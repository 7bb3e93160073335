import { useState, type ReactNode } from 'react';
import { Button, Form, Modal, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';

interface Props<V> {
  title: ReactNode;
  open: boolean;
  form: FormInstance<V>;
  onCancel(): void;
  /** Called with validated values; a thrown error keeps the modal open. */
  onSubmit(values: V): Promise<void>;
  initialValues?: Partial<V>;
  submitText?: ReactNode;
  submitTestId?: string;
  danger?: boolean;
  width?: number;
  children: ReactNode;
}

/** A modal holding one form: Enter submits (except in a date picker), the button spins while the call runs. */
export function FormModal<V extends object>({ title, open, form, onCancel, onSubmit, initialValues, submitText, submitTestId, danger, width, children }: Props<V>) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const finish = async (values: V) => {
    setBusy(true);
    try {
      await onSubmit(values);
    } catch {
      /* the caller reported it; stay open so the user can correct the form */
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={title}
      open={open}
      onCancel={onCancel}
      destroyOnHidden
      width={width}
      footer={[
        <Button key="cancel" onClick={onCancel}>
          {t('common.cancel')}
        </Button>,
        <Button key="submit" type="primary" danger={danger} loading={busy} onClick={() => form.submit()} data-testid={submitTestId}>
          {submitText ?? t('common.save')}
        </Button>,
      ]}
    >
      <Form<V>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initialValues}
        onFinish={finish}
        requiredMark="optional"
        style={{ marginTop: 16 }}
        // Enter in a date or time picker confirms what was typed there; it must not also submit the
        // half-filled form (the browser's implicit submission, which runs after the picker's own handler).
        onKeyDown={(e) => {
          if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.closest('.ant-picker')) e.preventDefault();
        }}
      >
        {children}
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
