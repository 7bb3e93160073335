import { useEffect } from 'react';
import { App, Button, Col, DatePicker, Form, Input, Row, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { fileIncident, INCIDENT_KINDS, INCIDENT_SEVERITIES, INVOLVEMENTS, type IncidentDetail } from '../../api/incidents';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { PersonSelect } from '../../components/PersonSelect';
import { UnitPicker } from '../../components/UnitPicker';
import { useTimeZone } from '../directives/bits';
import { FILE_FIELDS, fileBody, type FileValues } from './file';

/** File an incident at a unit of the user's scope: kind, severity, what happened, when, where, and the people involved. */
export function FileIncidentModal({ open, defaultUnitId, onClose, onFiled }: { open: boolean; defaultUnitId: number | null; onClose(): void; onFiled(x: IncidentDetail): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const timeZone = useTimeZone();
  const [form] = Form.useForm<FileValues>();

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  return (
    <FormModal<FileValues>
      title={t('incidents.file.title')}
      open={open}
      form={form}
      onCancel={onClose}
      width={720}
      initialValues={{ unitId: defaultUnitId ?? undefined, people: [] }}
      submitText={t('incidents.file.submit')}
      submitTestId="incident-file-submit"
      onSubmit={async (v) => {
        try {
          const x = await fileIncident(fileBody(v, timeZone));
          void message.success(t('incidents.file.filed'));
          onFiled(x);
        } catch (e) {
          report(e, { instance: form, fields: FILE_FIELDS });
          throw e;
        }
      }}
    >
      <Form.Item name="unitId" label={t('incidents.file.unit')} rules={[{ required: true, message: t('common.required') }]}>
        <UnitPicker data-testid="incident-file-unit" />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="kind" label={t('incidents.file.kind')} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={INCIDENT_KINDS.map((k) => ({ value: k, label: t(`incidents.kinds.${k}`) }))} data-testid="incident-file-kind" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="severity" label={t('incidents.file.severity')} extra={t('incidents.file.severityHint')} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={INCIDENT_SEVERITIES.map((s) => ({ value: s, label: t(`incidents.severities.${s}`) }))} data-testid="incident-file-severity" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="title" label={t('incidents.file.titleLabel')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}>
        <Input data-testid="incident-file-title" />
      </Form.Item>
      <Form.Item name="description" label={t('incidents.file.description')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 10_000 }]}>
        <Input.TextArea rows={4} data-testid="incident-file-description" />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="occurredAt" label={t('incidents.file.occurredAt')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="incident-file-occurred" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="place" label={t('incidents.file.place')} rules={[{ max: 200 }]}>
            <Input data-testid="incident-file-place" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t('incidents.file.people')}>
        <Form.List name="people">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex', marginBottom: 8 }}>
                  <Form.Item name={[f.name, 'personId']} rules={[{ required: true, message: t('common.required') }]} style={{ marginBottom: 0 }}>
                    <PersonSelect style={{ width: 340 }} data-testid={`incident-file-person-${f.name}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'involvement']} initialValue="other" style={{ marginBottom: 0 }}>
                    <Select style={{ width: 110 }} options={INVOLVEMENTS.map((i) => ({ value: i, label: t(`incidents.involvement.${i}`) }))} />
                  </Form.Item>
                  <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ involvement: 'other' })} data-testid="incident-file-add-person">
                {t('incidents.file.addPerson')}
              </Button>
            </>
          )}
        </Form.List>
      </Form.Item>
    </FormModal>
  );
}
