import { useRef, useState } from 'react';
import { Alert, Button, Card, Flex, Result, Spin, Table, Tag, Typography, Upload, type TableColumnsType } from 'antd';
import { FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { importResults, type ResultImportPlan } from '../../../api/campaigns';
import { describeError, useReportError } from '../../../components/apiErrors';

type Row = ResultImportPlan['rows'][number];
const ACCEPT = ['.xlsx', '.csv'];
const ACTION_COLOR: Record<Row['action'], string> = { create: 'green', update: 'blue', unchanged: 'default', reject: 'red' };
const REASON_CODES = ['required', 'invalid', 'unknown_person', 'not_due', 'outside_campaign', 'duplicate_in_file', 'too_long'] as const;

/** The lab's results: upload, read the dry run's row errors, then import in one go. */
export function ResultsImport({ campaignId, onImported }: { campaignId: number; onImported(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [file, setFile] = useState<File | null>(null);
  const [plan, setPlan] = useState<ResultImportPlan | null>(null);
  const [done, setDone] = useState<ResultImportPlan | null>(null);
  const [busy, setBusy] = useState<'check' | 'commit' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useRef(0); // the answer to a superseded dry run is dropped

  const check = async (f: File) => {
    const mine = ++run.current;
    setBusy('check');
    setPlan(null);
    setError(null);
    try {
      const p = await importResults(campaignId, f, true);
      if (mine === run.current) setPlan(p);
    } catch (e) {
      if (mine === run.current) setError(describeError(t, e));
    } finally {
      if (mine === run.current) setBusy(null);
    }
  };
  const commit = async () => {
    if (!file) return;
    setBusy('commit');
    try {
      setDone(await importResults(campaignId, file, false));
      onImported();
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
    }
  };
  const restart = () => {
    setFile(null);
    setPlan(null);
    setDone(null);
    setError(null);
  };
  const reasonText = (r: Row['reasons'][number]) => ((REASON_CODES as readonly string[]).includes(r.code) ? t(`campaigns.results.reason.${r.code as (typeof REASON_CODES)[number]}`) : r.message);

  const columns: TableColumnsType<Row> = [
    { title: t('campaigns.results.row'), dataIndex: 'row', width: 70 },
    { title: t('campaigns.detail.employeeNo'), dataIndex: 'employeeNo', width: 140 },
    { title: t('campaigns.results.action'), dataIndex: 'action', width: 100, render: (a: Row['action']) => <Tag color={ACTION_COLOR[a]}>{t(`campaigns.results.actions.${a}`)}</Tag> },
    { title: t('campaigns.results.result'), dataIndex: 'result', width: 90, render: (r: Row['result']) => (r ? t(`campaigns.results.values.${r}`) : '—') },
    {
      title: t('campaigns.results.reasons'),
      key: 'reasons',
      render: (_, r) =>
        r.reasons.map((x, i) => (
          <div key={i}>
            {x.column && <Typography.Text strong>{x.column}: </Typography.Text>}
            {reasonText(x)}
          </div>
        )),
    },
  ];
  const summary = (p: ResultImportPlan) => t('campaigns.results.summary', p.summary);

  if (done) {
    return (
      <Card>
        <Result
          status="success"
          title={t('campaigns.results.done')}
          subTitle={summary(done)}
          extra={
            <Flex gap={16} justify="center" align="center">
              <Button onClick={restart}>{t('campaigns.results.another')}</Button>
              {/* Each positive person now has a health watch, whose drawer lists their contact candidates (密接候选). */}
              {done.summary.positive > 0 && (
                <Link to="/health/watches" data-testid="results-contacts">
                  {t('contacts.fromResults')}
                </Link>
              )}
            </Flex>
          }
          data-testid="results-done"
        />
      </Card>
    );
  }
  const writable = plan && plan.summary.rejected === 0 && plan.summary.create + plan.summary.update > 0;
  return (
    <Flex vertical gap={16}>
      <Card size="small">
        <Typography.Paragraph type="secondary">{t('campaigns.results.columns')}</Typography.Paragraph>
        <div data-testid="results-upload">
          <Upload.Dragger
            accept={ACCEPT.join(',')}
            multiple={false}
            showUploadList={false}
            disabled={busy !== null}
            beforeUpload={(f) => {
              if (!ACCEPT.some((ext) => f.name.toLowerCase().endsWith(ext))) {
                setError(t('campaigns.results.wrongType'));
                return Upload.LIST_IGNORE;
              }
              setFile(f);
              void check(f);
              return false; // sent by us, as multipart with the dry-run flag
            }}
          >
            <p className="ant-upload-drag-icon">{file ? <FileExcelOutlined /> : <InboxOutlined />}</p>
            <p className="ant-upload-text">{file ? file.name : t('campaigns.results.upload')}</p>
            <p className="ant-upload-hint">{t('campaigns.results.uploadSub')}</p>
          </Upload.Dragger>
        </div>
      </Card>
      {error && <Alert type="error" showIcon title={error} data-testid="results-error" />}
      {busy === 'check' && (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      )}
      {plan && (
        <Card size="small" title={t('campaigns.results.planTitle')} data-testid="results-plan">
          <Flex vertical gap={12}>
            <Typography.Text data-testid="results-summary">{summary(plan)}</Typography.Text>
            {plan.summary.rejected > 0 && <Alert type="warning" showIcon title={t('campaigns.results.fixFirst', { count: plan.summary.rejected })} />}
            {plan.summary.positive > 0 && <Alert type="error" showIcon title={t('campaigns.results.positiveWarn', { count: plan.summary.positive })} />}
            {plan.rows.length > 0 && <Table<Row> rowKey="row" size="small" columns={columns} dataSource={plan.rows} pagination={{ pageSize: 50, hideOnSinglePage: true }} />}
            {plan.rowsOmitted > 0 && <Typography.Text type="secondary">{t('campaigns.results.omitted', { count: plan.rowsOmitted })}</Typography.Text>}
            <Flex gap={8}>
              <Button type="primary" disabled={!writable} loading={busy === 'commit'} onClick={() => void commit()} data-testid="results-commit">
                {t('campaigns.results.commit')}
              </Button>
              <Button onClick={restart}>{t('campaigns.results.another')}</Button>
            </Flex>
          </Flex>
        </Card>
      )}
    </Flex>
  );
}
