import { useCallback, useEffect, useState } from 'react';
import { Breadcrumb, Button, Card, Descriptions, Result, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { getDirective, type DirectiveDetail } from '../../api/directives';
import { ApiError } from '../../api/client';
import { describeError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { AssignModal, type AssignTarget } from './AssignModal';
import { AttachmentLinks } from './bits';
import { DirectiveEditModal } from './DirectiveEditModal';
import { ProgressBoard } from './ProgressBoard';
import { TaskTable } from './TaskTable';

/** One directive: what it says, its progress tree by unit, and the tasks it was broken into; more tasks can be sent from here. */
export default function DirectivePage() {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const id = Number(useParams().id);
  const [directive, setDirective] = useState<DirectiveDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const [assigning, setAssigning] = useState<AssignTarget | null>(null);
  const [editing, setEditing] = useState(false);

  useEffect(() => {
    let live = true;
    getDirective(id).then((d) => live && setDirective(d), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id, tick]);
  const refresh = useCallback(() => setTick((n) => n + 1), []);

  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return <Result status={missing ? '404' : 'warning'} title={missing ? t('directives.detail.notFound') : describeError(t, error)} extra={<Link to="/directives">{t('directives.detail.back')}</Link>} />;
  }
  if (!directive) return <Skeleton active paragraph={{ rows: 8 }} />;

  return (
    <>
      <PageHeader
        breadcrumb={<Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/directives">{t('directives.list.title')}</Link> }, { title: directive.title }]} />}
        title={directive.title}
        subtitle={<Tag>{t(`directives.source.${directive.source}`)}</Tag>}
        extra={
          <Space>
            {directive.abilities.update && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="directive-edit">
                {t('common.edit')}
              </Button>
            )}
            {directive.abilities.assign && (
              <Button type="primary" icon={<SendOutlined />} onClick={() => setAssigning({ kind: 'directive', directiveId: directive.id, title: directive.title })} data-testid="directive-assign">
                {t('directives.detail.assign')}
              </Button>
            )}
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('directives.documentNo')}>{directive.documentNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('directives.receivedAt')}>{formatTime(directive.receivedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('directives.detail.recordedBy')}>{`${directive.unitName} · ${directive.createdByName ?? '—'}`}</Descriptions.Item>
          {directive.meetingId !== null && (
            <Descriptions.Item label={t('directives.source.meeting')}>
              <Link to={`/directives/meetings/${directive.meetingId}`}>{t('directives.detail.meetingLink')}</Link>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('directives.attachments')} span={3}>
            <AttachmentLinks ids={directive.attachmentIds} />
          </Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8, marginBottom: 0 }} data-testid="directive-body">
          {directive.body}
        </Typography.Paragraph>
      </Card>
      <Tabs
        items={[
          { key: 'board', label: t('directives.detail.boardTab'), children: <ProgressBoard directiveId={directive.id} tick={tick} /> },
          {
            key: 'tasks',
            label: <span data-testid="directive-tasks-tab">{t('directives.detail.tasksTab', { n: directive.tasks.length })}</span>,
            children: (
              <Card size="small">
                <TaskTable tasks={directive.tasks} showDirective={false} />
              </Card>
            ),
          },
        ]}
      />
      <DirectiveEditModal
        directive={directive}
        open={editing}
        onClose={() => setEditing(false)}
        onSaved={(d) => {
          setEditing(false);
          setDirective(d);
        }}
      />
      <AssignModal
        target={assigning}
        onClose={() => setAssigning(null)}
        onDone={() => {
          setAssigning(null);
          refresh();
        }}
      />
    </>
  );
}
