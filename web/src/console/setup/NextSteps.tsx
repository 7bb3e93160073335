import { useState } from 'react';
import { Alert, Button, Card, Col, Flex, Result, Row, Spin, Table, Typography } from 'antd';
import { CloudUploadOutlined, ExperimentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { loadDemo, type DemoLoaded } from '../../api/auth';
import { useReportError } from '../../components/apiErrors';
import { useMe, useSession } from '../../state/session';

/** Step 3: start from the organisation's own spreadsheet, or from the demo organisation. */
export function NextSteps() {
  const { t } = useTranslation();
  const me = useMe();
  const { refreshMe, refreshStatus } = useSession();
  const report = useReportError();
  const navigate = useNavigate();
  const [loading, setLoading] = useState(false);
  const [demo, setDemo] = useState<DemoLoaded | null>(null);
  const root = me.scopeRoots[0]?.id;

  const goImport = async () => {
    await refreshStatus();
    navigate(root ? `/org/import?unit=${root}` : '/org/import');
  };
  const goConsole = async () => {
    await Promise.all([refreshStatus(), refreshMe()]);
    navigate('/');
  };
  const startDemo = async () => {
    setLoading(true);
    try {
      setDemo(await loadDemo());
    } catch (e) {
      report(e);
    } finally {
      setLoading(false);
    }
  };

  if (loading) {
    return (
      <Flex vertical align="center" gap={16} style={{ padding: 48 }}>
        <Spin size="large" />
        <Typography.Text type="secondary">{t('setup.demoLoading')}</Typography.Text>
      </Flex>
    );
  }
  if (demo) {
    return (
      <>
        <Result status="success" title={t('setup.demoDone', { units: demo.units, people: demo.people })} style={{ padding: '8px 0 16px' }} />
        <Typography.Title level={5}>{t('setup.demoLogins')}</Typography.Title>
        <Alert type="warning" showIcon title={t('setup.demoLoginsHint')} style={{ marginBottom: 12 }} />
        <Table
          data-testid="demo-logins"
          size="small"
          rowKey="username"
          pagination={false}
          dataSource={demo.logins}
          columns={[
            { title: t('setup.loginUsername'), dataIndex: 'username', render: (v: string) => <Typography.Text copyable code style={{ whiteSpace: 'nowrap' }}>{v}</Typography.Text> },
            { title: t('setup.loginPassword'), dataIndex: 'password', render: (v: string) => <Typography.Text copyable code style={{ whiteSpace: 'nowrap' }}>{v}</Typography.Text> },
            { title: t('setup.loginDescription'), dataIndex: 'description', render: (v: string | null | undefined) => v ?? '—' },
          ]}
        />
        <Flex justify="flex-end" style={{ marginTop: 16 }}>
          <Button type="primary" onClick={goConsole} data-testid="setup-enter">
            {t('setup.enterConsole')}
          </Button>
        </Flex>
      </>
    );
  }
  return (
    <>
      <Result status="success" title={t('setup.doneTitle')} subTitle={t('setup.doneDesc')} style={{ padding: '8px 0 16px' }} />
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Card hoverable onClick={goImport} data-testid="setup-import" style={{ height: '100%' }}>
            <Card.Meta avatar={<CloudUploadOutlined style={{ fontSize: 28, color: '#1f5fbf' }} />} title={t('setup.import')} description={t('setup.importDesc')} />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card hoverable onClick={startDemo} data-testid="setup-demo" style={{ height: '100%' }}>
            <Card.Meta avatar={<ExperimentOutlined style={{ fontSize: 28, color: '#d46b08' }} />} title={t('setup.demo')} description={t('setup.demoDesc')} />
          </Card>
        </Col>
      </Row>
      <Flex justify="center" style={{ marginTop: 16 }}>
        <Button type="link" onClick={goConsole}>
          {t('setup.skip')}
        </Button>
      </Flex>
    </>
  );
}
