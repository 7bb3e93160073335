import { useEffect, useState } from 'react';
import { App, Breadcrumb, Button, Card, Descriptions, Input, List, Result, Skeleton, Space, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { addDecision, getMeeting, type MeetingDetail } from '../../api/directives';
import { ApiError } from '../../api/client';
import { describeError, useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { AssignModal, type AssignTarget } from './AssignModal';

/** One meeting: who met, the minutes, and its decisions, each turned into tasks in one step (a directive of source "meeting" is made for it). */
export default function MeetingPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const formatTime = useFormatTime();
  const id = Number(useParams().id);
  const [meeting, setMeeting] = useState<MeetingDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const [assigning, setAssigning] = useState<AssignTarget | null>(null);
  const [draft, setDraft] = useState('');
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    let live = true;
    getMeeting(id).then((m) => live && setMeeting(m), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id, tick]);

  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return <Result status={missing ? '404' : 'warning'} title={missing ? t('directives.meetings.notFound') : describeError(t, error)} extra={<Link to="/directives/meetings">{t('directives.meetings.title')}</Link>} />;
  }
  if (!meeting) return <Skeleton active paragraph={{ rows: 8 }} />;

  const add = async () => {
    if (!draft.trim()) return;
    setAdding(true);
    try {
      setMeeting(await addDecision(meeting.id, draft.trim()));
      setDraft('');
      void message.success(t('directives.meetings.decisionAdded'));
    } catch (e) {
      report(e);
    } finally {
      setAdding(false);
    }
  };

  return (
    <>
      <PageHeader
        breadcrumb={<Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/directives/meetings">{t('directives.meetings.title')}</Link> }, { title: meeting.title }]} />}
        title={meeting.title}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('directives.meetings.heldAt')}>{formatTime(meeting.heldAt)}</Descriptions.Item>
          <Descriptions.Item label={t('directives.meetings.place')}>{meeting.place ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('directives.meetings.chair')}>{meeting.chair ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('directives.meetings.unit')}>{meeting.unitName}</Descriptions.Item>
          <Descriptions.Item label={t('directives.meetings.attendees')} span={2}>
            {meeting.attendees ?? '—'}
          </Descriptions.Item>
        </Descriptions>
        {meeting.minutes && (
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8 }} ellipsis={{ rows: 8, expandable: true, symbol: t('common.more') }}>
            {meeting.minutes}
          </Typography.Paragraph>
        )}
      </Card>
      <Card size="small" title={t('directives.meetings.decisions')}>
        <List
          dataSource={meeting.decisions}
          locale={{ emptyText: t('directives.meetings.noDecisions') }}
          renderItem={(d) => (
            <List.Item
              data-testid={`decision-${d.id}`}
              actions={[
                d.directiveId !== null ? (
                  <Link key="open" to={`/directives/${d.directiveId}`} data-testid={`decision-directive-${d.id}`}>
                    {t('directives.meetings.openDirective')}
                  </Link>
                ) : null,
                meeting.abilities.assign ? (
                  <Button key="assign" size="small" type={d.directiveId === null ? 'primary' : 'default'} icon={<SendOutlined />} onClick={() => setAssigning({ kind: 'decision', meetingId: meeting.id, decisionId: d.id, title: d.text.slice(0, 40) })} data-testid={`decision-assign-${d.id}`}>
                    {t('directives.meetings.toTasks')}
                  </Button>
                ) : null,
              ].filter(Boolean)}
            >
              <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{`${d.position}. ${d.text}`}</Typography.Text>
            </List.Item>
          )}
        />
        {meeting.abilities.update && (
          <Space.Compact style={{ width: '100%', marginTop: 12 }}>
            <Input value={draft} onChange={(e) => setDraft(e.target.value)} onPressEnter={() => void add()} placeholder={t('directives.meetings.addDecision')} maxLength={2000} data-testid="decision-new" />
            <Button onClick={() => void add()} loading={adding} data-testid="decision-add">
              {t('common.create')}
            </Button>
          </Space.Compact>
        )}
      </Card>
      <AssignModal
        target={assigning}
        onClose={() => setAssigning(null)}
        onDone={() => {
          setAssigning(null);
          setTick((n) => n + 1);
        }}
      />
    </>
  );
}
