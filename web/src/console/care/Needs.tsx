import { useState } from 'react';
import { Button, Empty, Flex, Form, Input, List, Select, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { addNeed, CARE_NEED_KINDS as NEED_KINDS, CARE_NEED_STATES as NEED_STATES, updateNeed, type CareCaseDetail as CaseDetail, type CareNeedKind as NeedKind, type CareNeedState as NeedState } from '../../api/care';
import { ApiError } from '../../api/client';
import { useReportError } from '../../components/apiErrors';
import { emptyToNull } from '../../components/zodRule';
import { useFormatShort } from '../directives/bits';
import { NEED_COLOURS } from './bits';

/** A case's needs, each with its state changed in place; a short form below adds one. */
export function NeedsList({ detail, onChanged }: { detail: CaseDetail; onChanged(d: CaseDetail): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const formatShort = useFormatShort();
  const [busy, setBusy] = useState<number | null>(null);
  const editable = detail.status === 'open' && detail.abilities.write;

  const setState = async (needId: number, state: NeedState) => {
    setBusy(needId);
    try {
      onChanged(await updateNeed(detail.id, needId, { state }));
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      {detail.needs.length === 0 ? (
        <Empty description={editable ? t('care.needs.emptyEditable') : t('care.needs.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <List
          size="small"
          dataSource={detail.needs}
          renderItem={(n) => (
            <List.Item
              data-testid={`care-need-${n.id}`}
              data-kind={n.kind}
              extra={
                editable ? (
                  <Select<NeedState>
                    size="small"
                    style={{ width: 110 }}
                    value={n.state}
                    loading={busy === n.id}
                    onChange={(s) => void setState(n.id, s)}
                    options={NEED_STATES.map((s) => ({ value: s, label: t(`care.needStates.${s}`) }))}
                    data-testid={`care-need-state-${n.id}`}
                  />
                ) : (
                  <Tag color={NEED_COLOURS[n.state]}>{t(`care.needStates.${n.state}`)}</Tag>
                )
              }
            >
              <List.Item.Meta
                title={
                  <Flex gap={8} align="center">
                    <span>{t(`care.needKinds.${n.kind}`)}</span>
                    {editable && <Tag color={NEED_COLOURS[n.state]}>{t(`care.needStates.${n.state}`)}</Tag>}
                  </Flex>
                }
                description={
                  <>
                    {n.note && <div>{n.note}</div>}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatShort(n.updatedAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      {editable && <AddNeed caseId={detail.id} onAdded={onChanged} />}
    </>
  );
}

interface NeedValues {
  kind: NeedKind;
  note?: string;
}

function AddNeed({ caseId, onAdded }: { caseId: number; onAdded(d: CaseDetail): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<NeedValues>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: NeedValues) => {
    setBusy(true);
    try {
      onAdded(await addNeed(caseId, { kind: v.kind, note: emptyToNull(v.note) ?? undefined }));
      form.resetFields();
    } catch (e) {
      report(e, e instanceof ApiError ? { instance: form, fields: ['kind', 'note'] } : undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<NeedValues> form={form} layout="vertical" onFinish={submit} style={{ marginTop: 12 }} requiredMark={false}>
      <Flex gap={8} align="start" wrap>
        <Form.Item name="kind" rules={[{ required: true, message: t('care.needs.kindRequired') }]} style={{ marginBottom: 0, width: 130 }}>
          <Select<NeedKind> placeholder={t('care.needs.kind')} options={NEED_KINDS.map((k) => ({ value: k, label: t(`care.needKinds.${k}`) }))} data-testid="care-need-kind" />
        </Form.Item>
        <Form.Item name="note" style={{ marginBottom: 0, flex: 1, minWidth: 160 }}>
          <Input placeholder={t('care.needs.notePlaceholder')} maxLength={500} data-testid="care-need-note" />
        </Form.Item>
        <Button htmlType="submit" icon={<PlusOutlined />} loading={busy} data-testid="care-need-add">
          {t('care.needs.add')}
        </Button>
      </Flex>
    </Form>
  );
}
