import { useCallback, useRef, useState } from 'react';
import { Alert, Breadcrumb, Button, Card, Flex, Form, Result, Skeleton, Spin, Typography, Upload } from 'antd';
import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { importTemplateUrl, runImport, type ImportPlan } from '../../api/import';
import { describeError, useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { UnitPicker } from '../../components/UnitPicker';
import { useScope } from '../../state/scope';
import { ImportPlanView, ImportSummary } from './ImportPlanView';

const ACCEPT = ['.xlsx', '.csv'];
const cannotImportInto = (u: { abilities: Record<string, boolean> }) => !u.abilities.import;

/** 导入: choose a unit and a file, see the dry run row by row, then confirm. */
export default function ImportPage() {
  const { loading } = useScope();
  // The target named in the URL can only be checked once the units are in.
  return loading ? <Skeleton active paragraph={{ rows: 6 }} /> : <ImportFlow />;
}

function ImportFlow() {
  const { t } = useTranslation();
  const { unitId, byId, reload } = useScope();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const report = useReportError();
  const askedTarget = Number(params.get('target'));
  const [targetId, setTargetId] = useState<number | null>(byId.has(askedTarget) ? askedTarget : unitId);
  const [file, setFile] = useState<File | null>(null);
  const [plan, setPlan] = useState<ImportPlan | null>(null);
  const [result, setResult] = useState<ImportPlan | null>(null);
  const [busy, setBusy] = useState<'check' | 'commit' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useRef(0); // answers to a superseded dry run are dropped

  const check = useCallback(
    async (target: number | null, f: File | null) => {
      if (target === null || f === null) return;
      const mine = ++run.current;
      setBusy('check');
      setPlan(null);
      setError(null);
      try {
        const p = await runImport(target, f, true);
        if (mine === run.current) setPlan(p);
      } catch (e) {
        if (mine === run.current) setError(describeError(t, e));
      } finally {
        if (mine === run.current) setBusy(null);
      }
    },
    [t],
  );

  const commit = async () => {
    if (targetId === null || file === null) return;
    setBusy('commit');
    try {
      setResult(await runImport(targetId, file, false));
      await reload();
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
    }
  };
  const restart = () => {
    setFile(null);
    setPlan(null);
    setResult(null);
    setError(null);
  };
  const orgLink = `/org${unitId ? `?unit=${unitId}` : ''}`;
  const target = targetId !== null ? byId.get(targetId) : undefined;

  return (
    <>
      <PageHeader
        breadcrumb={<Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to={orgLink}>{t('org.title')}</Link> }, { title: t('import.title') }]} />}
        title={t('import.title')}
        subtitle={t('import.subtitle')}
        extra={
          <Button icon={<DownloadOutlined />} href={importTemplateUrl} data-testid="import-template">
            {t('import.template')}
          </Button>
        }
      />
      {result ? (
        <Card>
          <Result
            status="success"
            title={t('import.doneTitle')}
            subTitle={t('import.doneDesc', { create: result.summary.peopleCreate, update: result.summary.peopleUpdate, unitsCreate: result.summary.unitsCreate, unitsUpdate: result.summary.unitsUpdate })}
            extra={[
              <Button key="again" onClick={restart}>{t('import.another')}</Button>,
              <Button key="org" type="primary" onClick={() => navigate(orgLink)}>{t('import.backToOrg')}</Button>,
            ]}
            data-testid="import-result"
          />
          <ImportSummary plan={result} testId="import-result-summary" />
        </Card>
      ) : (
        <Flex vertical gap={16}>
          <Card>
            <Form layout="vertical">
              <Form.Item label={t('import.target')} required extra={target ? undefined : t('import.chooseTarget')} style={{ maxWidth: 420 }}>
                <UnitPicker
                  value={targetId}
                  onChange={(id) => {
                    setTargetId(id ?? null);
                    void check(id ?? null, file);
                  }}
                  disableUnit={cannotImportInto}
                  data-testid="import-target"
                />
              </Form.Item>
              <div data-testid="import-upload">
                <Upload.Dragger
                  accept={ACCEPT.join(',')}
                  multiple={false}
                  showUploadList={false}
                  disabled={busy !== null}
                  beforeUpload={(f) => {
                    if (!ACCEPT.some((ext) => f.name.toLowerCase().endsWith(ext))) {
                      setError(t('import.wrongType'));
                      return Upload.LIST_IGNORE;
                    }
                    setFile(f);
                    void check(targetId, f);
                    return false; // we send it ourselves, as multipart with the dry-run flag
                  }}
                >
                  <p className="ant-upload-drag-icon">{file ? <FileExcelOutlined /> : <InboxOutlined />}</p>
                  <p className="ant-upload-text">{file ? file.name : t('import.uploadHint')}</p>
                  <p className="ant-upload-hint">{file ? `${(file.size / 1024).toFixed(1)} KB · ${t('import.uploadHint')}` : t('import.uploadSub')}</p>
                </Upload.Dragger>
              </div>
            </Form>
          </Card>
          {error && <Alert type="error" showIcon title={error} data-testid="import-error" />}
          {busy === 'check' && (
            <Card>
              <Flex vertical align="center" gap={12} style={{ padding: 24 }}>
                <Spin />
                <Typography.Text type="secondary">{t('import.checking')}</Typography.Text>
              </Flex>
            </Card>
          )}
          {plan && <ImportPlanView plan={plan} committing={busy === 'commit'} onCommit={commit} />}
        </Flex>
      )}
    </>
  );
}
