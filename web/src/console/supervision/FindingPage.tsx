import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Descriptions, Flex, Form, Input, Result, Select, Space, Spin, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { closeSupervisionFinding, decideSupervisionFinding, FINDING_DECISIONS, getSupervisionFinding, type Evidence, type FindingDecisionKind, type SupervisionFinding } from '../../api/supervision';
import { ApiError } from '../../api/client';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useScope } from '../../state/scope';
import { DecisionTag, FindingStatusTag, SubjectText } from './findingBits';
import { LinkEvidenceModal } from './LinkEvidenceModal';
import { OverdueKindTag, ResponsibleList } from './overdueBits';

interface DecisionValues {
  decision: FindingDecisionKind;
  text: string;
}

/** One finding: what it is about, its evidence as it stood when linked (read-only), the decision, and closing it. */
export default function FindingPage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const time = useFormatTime();
  const { unitId } = useScope();
  const id = Number(useParams().id);
  const [finding, setFinding] = useState<SupervisionFinding | null>(null);
  const [missing, setMissing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [linking, setLinking] = useState(false);
  const [form] = Form.useForm<DecisionValues>();

  const load = useCallback(() => {
    let live = true;
    getSupervisionFinding(id).then(
      (f) => live && setFinding(f),
      (e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 404) setMissing(true);
        else report(e);
      },
    );
    return () => {
      live = false;
    };
  }, [id, report]);
  useEffect(load, [load]);
  useEffect(() => {
    if (finding) form.setFieldsValue({ decision: finding.decision ?? undefined, text: finding.decisionText ?? '' });
  }, [finding, form]);

  if (missing) return <Result status="404" title={t('supervision.finding.notFound')} />;
  if (!finding) return <Spin />;

  const decide = async (v: DecisionValues) => {
    setSaving(true);
    try {
      setFinding(await decideSupervisionFinding(finding.id, { decision: v.decision, text: v.text.trim() }));
      void message.success(t('supervision.finding.decided'));
    } catch (e) {
      report(e, { instance: form, fields: ['decision', 'text'] });
    } finally {
      setSaving(false);
    }
  };
  const close = () =>
    modal.confirm({
      content: t('supervision.finding.closeConfirm'),
      okButtonProps: { 'data-testid': 'sfinding-close-ok' },
      onOk: async () => {
        try {
          setFinding(await closeSupervisionFinding(finding.id));
          void message.success(t('supervision.finding.closed'));
        } catch (e) {
          report(e);
        }
      },
    });

  const columns: TableColumnsType<Evidence> = [
    { title: t('supervision.overdue.kind'), key: 'kind', width: 140, render: (_, e) => <OverdueKindTag kind={e.snapshot.kind} /> },
    { title: t('supervision.overdue.what'), key: 'title', render: (_, e) => e.snapshot.title },
    { title: t('supervision.unit'), key: 'unit', width: 150, render: (_, e) => e.snapshot.unitName },
    { title: t('supervision.responsible'), key: 'responsible', width: 160, render: (_, e) => <ResponsibleList people={e.snapshot.responsible} /> },
    { title: t('supervision.overdue.since'), key: 'since', width: 170, render: (_, e) => time(e.snapshot.since) },
    {
      title: t('supervision.finding.linked'),
      key: 'linked',
      width: 200,
      render: (_, e) => (
        <span>
          {time(e.linkedAt)} <Typography.Text type="secondary">{e.linkedBy ?? ''}</Typography.Text>
        </span>
      ),
    },
  ];

  return (
    <div data-testid="sfinding-page">
      <PageHeader
        title={finding.title}
        subtitle={<SubjectText finding={finding} />}
        breadcrumb={
          <div style={{ marginBottom: 8 }}>
            <Link to={`/supervision/findings${unitId ? `?unit=${unitId}` : ''}`}>← {t('supervision.findings.title')}</Link>
          </div>
        }
        extra={
          finding.abilities.close ? (
            <Button danger onClick={close} data-testid="sfinding-close">
              {t('supervision.finding.close')}
            </Button>
          ) : undefined
        }
      />
      <Flex vertical gap={16}>
        <Card size="small">
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t('supervision.findings.status')}>
              <FindingStatusTag status={finding.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('supervision.findings.decision')}>
              <DecisionTag decision={finding.decision} />
            </Descriptions.Item>
            <Descriptions.Item label={t('supervision.findings.openedAt')}>{`${time(finding.openedAt)} ${finding.openedBy ?? ''}`}</Descriptions.Item>
            <Descriptions.Item label={t('supervision.finding.closedAt')}>{finding.closedAt === null ? '—' : `${time(finding.closedAt)} ${finding.closedBy ?? ''}`}</Descriptions.Item>
            <Descriptions.Item label={t('supervision.findings.description')} span={2}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{finding.description}</Typography.Paragraph>
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card
          size="small"
          title={t('supervision.finding.evidenceTitle', { n: finding.evidence.length })}
          extra={
            finding.abilities.link ? (
              <Button size="small" onClick={() => setLinking(true)} data-testid="sfinding-link-more">
                {t('supervision.finding.linkMore')}
              </Button>
            ) : undefined
          }
        >
          <Typography.Paragraph type="secondary">{t('supervision.finding.evidenceHint')}</Typography.Paragraph>
          <Table<Evidence>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={finding.evidence}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            onRow={(e) => ({ 'data-testid': `evidence-row-${e.ref.kind}-${e.ref.id}` }) as React.HTMLAttributes<HTMLElement>}
          />
        </Card>
        <Card size="small" title={t('supervision.finding.decisionTitle')}>
          {finding.abilities.decide ? (
            <Form<DecisionValues> form={form} layout="vertical" onFinish={decide} requiredMark="optional" style={{ maxWidth: 640 }}>
              <Form.Item name="decision" label={t('supervision.findings.decision')} rules={[{ required: true, message: t('common.required') }]}>
                <Select data-testid="sfinding-decision-kind" options={FINDING_DECISIONS.map((d) => ({ value: d, label: t(`supervision.decisions.${d}`) }))} />
              </Form.Item>
              <Form.Item name="text" label={t('supervision.finding.decisionText')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 5000 }]}>
                <Input.TextArea rows={3} maxLength={5000} data-testid="sfinding-decision-text" />
              </Form.Item>
              <Space>
                <Button type="primary" htmlType="submit" loading={saving} data-testid="sfinding-decide">
                  {t('supervision.finding.decide')}
                </Button>
                {finding.decision === null && <Typography.Text type="secondary">{t('supervision.finding.decideFirst')}</Typography.Text>}
              </Space>
            </Form>
          ) : finding.decision ? (
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('supervision.findings.decision')}>
                <DecisionTag decision={finding.decision} />
              </Descriptions.Item>
              <Descriptions.Item label={t('supervision.finding.decisionText')}>
                <span style={{ whiteSpace: 'pre-wrap' }} data-testid="sfinding-decision-shown">
                  {finding.decisionText}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('supervision.finding.decidedAt')}>{`${time(finding.decidedAt)} ${finding.decidedBy ?? ''}`}</Descriptions.Item>
            </Descriptions>
          ) : (
            <Typography.Text type="secondary">{t('supervision.finding.noDecision')}</Typography.Text>
          )}
        </Card>
      </Flex>
      {linking && (
        <LinkEvidenceModal
          finding={finding}
          onClose={() => setLinking(false)}
          onLinked={(f) => {
            void message.success(t('supervision.finding.linkedDone', { n: f.evidence.length - finding.evidence.length }));
            setLinking(false);
            setFinding(f);
          }}
        />
      )}
    </div>
  );
}
