import { useState } from 'react';
import { App, Button, Card, Empty, Form, Input, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { acknowledgeInstruction, type IncidentDetail, type IncidentInstruction } from '../../api/incidents';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { FormModal } from '../../components/FormModal';

/** The instructions sent down on an incident, who has acknowledged each, and the button to acknowledge one for a level the user acts for. */
export function Instructions({ incident, onChanged }: { incident: IncidentDetail; onChanged(x: IncidentDetail): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const formatTime = useFormatTime();
  const [acking, setAcking] = useState<IncidentInstruction | null>(null);
  const [form] = Form.useForm<{ note?: string }>();
  const levelName = new Map(incident.levels.map((l) => [l.id, l.unitName]));

  return (
    <Card size="small" title={t('incidents.page.instructions')} style={{ marginBottom: 16 }} data-testid="incident-instructions">
      {incident.instructions.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incidents.page.noInstructions')} />
      ) : (
        <List
          dataSource={incident.instructions}
          renderItem={(ins) => (
            <List.Item
              key={ins.id}
              data-testid={`incident-instruction-${ins.id}`}
              actions={
                ins.canAcknowledge
                  ? [
                      <Button key="ack" type="primary" size="small" onClick={() => setAcking(ins)} data-testid={`incident-instruction-ack-${ins.id}`}>
                        {t('incidents.act.ackInstruction')}
                      </Button>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <Typography.Text strong>{t('incidents.page.from', { unit: ins.fromUnitName })}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {`${ins.byName ?? ''} · ${formatTime(ins.at)}`}
                    </Typography.Text>
                  </Space>
                }
                description={
                  <>
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4, color: 'inherit' }} data-testid={`incident-instruction-text-${ins.id}`}>
                      {ins.text}
                    </Typography.Paragraph>
                    <Space size={4} wrap>
                      {ins.acks.map((a) => (
                        <Tag key={a.levelId} color="green" title={a.note ?? undefined}>
                          {`${a.unitName}${a.byName ? ` · ${a.byName}` : ''} ✓`}
                        </Tag>
                      ))}
                      {ins.pendingLevelIds.map((id) => (
                        <Tag key={id} color="gold">
                          {levelName.get(id) ?? id}
                        </Tag>
                      ))}
                    </Space>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      <FormModal
        title={t('incidents.act.ackInstruction')}
        open={acking !== null}
        form={form}
        onCancel={() => setAcking(null)}
        submitText={t('incidents.act.ackInstruction')}
        submitTestId="incident-instruction-ack-submit"
        onSubmit={async (v) => {
          if (!acking) return;
          const note = v.note?.trim();
          try {
            const next = await acknowledgeInstruction(incident.id, acking.id, note ? { note } : {});
            setAcking(null);
            void message.success(t('incidents.act.instructionAcked'));
            onChanged(next);
          } catch (e) {
            report(e, { instance: form, fields: ['note'] });
            throw e;
          }
        }}
      >
        {acking && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{acking.text}</Typography.Paragraph>}
        <Form.Item name="note" label={t('incidents.act.note')} rules={[{ max: 1000 }]}>
          <Input.TextArea rows={2} data-testid="incident-instruction-ack-note" />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
