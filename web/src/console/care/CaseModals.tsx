import { useEffect, useState } from 'react';
import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { CARE_OUTCOMES, caseOfficers, closeCase, updateCase, type CareCaseDetail, type CareOfficer, type CareOutcome } from '../../api/care';
import { ApiError } from '../../api/client';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { emptyToNull } from '../../components/zodRule';

interface CloseValues {
  outcome: CareOutcome;
  note?: string;
}

/** 结案: close a case with its outcome and, if need be, a word on how it ended. */
export function CloseCaseModal({ caseId, onClose, onClosed }: { caseId: number; onClose(): void; onClosed(d: CareCaseDetail): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<CloseValues>();
  const submit = async (v: CloseValues) => {
    try {
      onClosed(await closeCase(caseId, { outcome: v.outcome, note: emptyToNull(v.note) ?? undefined }));
    } catch (e) {
      report(e, e instanceof ApiError ? { instance: form, fields: ['outcome', 'note'] } : undefined);
      throw e;
    }
  };
  return (
    <FormModal<CloseValues> title={t('care.close.title')} open form={form} onCancel={onClose} onSubmit={submit} submitText={t('care.close.submit')} submitTestId="care-close-submit" danger>
      <Form.Item name="outcome" label={t('care.close.outcome')} rules={[{ required: true, message: t('care.close.outcomeRequired') }]}>
        <Select<CareOutcome> options={CARE_OUTCOMES.map((o) => ({ value: o, label: t(`care.outcomes.${o}`) }))} data-testid="care-close-outcome" />
      </Form.Item>
      <Form.Item name="note" label={t('care.close.note')}>
        <Input.TextArea rows={3} maxLength={2000} placeholder={t('care.close.placeholder')} data-testid="care-close-note" />
      </Form.Item>
    </FormModal>
  );
}

/** 更换关爱专员: another user holding care.write over the person's unit. */
export function ReassignModal({ detail, onClose, onSaved }: { detail: CareCaseDetail; onClose(): void; onSaved(d: CareCaseDetail): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<{ careOfficerUserId: number }>();
  const [officers, setOfficers] = useState<CareOfficer[] | null>(null);
  useEffect(() => {
    let live = true;
    caseOfficers(detail.id).then(
      (r) => live && setOfficers(r.items),
      (e) => {
        if (live) setOfficers([]);
        report(e);
      },
    );
    return () => {
      live = false;
    };
  }, [detail.id, report]);
  const submit = async (v: { careOfficerUserId: number }) => {
    try {
      onSaved(await updateCase(detail.id, { careOfficerUserId: v.careOfficerUserId }));
    } catch (e) {
      report(e, e instanceof ApiError ? { instance: form, fields: ['careOfficerUserId'] } : undefined);
      throw e;
    }
  };
  return (
    <FormModal<{ careOfficerUserId: number }>
      title={t('care.reassign.title')}
      open
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={{ careOfficerUserId: detail.careOfficerUserId ?? undefined }}
      submitTestId="care-reassign-submit"
    >
      <Form.Item name="careOfficerUserId" label={t('care.reassign.officer')} extra={t('care.reassign.help')} rules={[{ required: true, message: t('common.required') }]}>
        <Select loading={officers === null} options={(officers ?? []).map((o) => ({ value: o.userId, label: o.name }))} notFoundContent={t('care.reassign.none')} data-testid="care-reassign-officer" />
      </Form.Item>
    </FormModal>
  );
}
