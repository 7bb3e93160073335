import { useEffect, useState } from 'react';
import { Badge, Breadcrumb, Card, List, Result, Skeleton, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../../api/client';
import { markNoticeRead, myNotices, type MyNotice, type MyNoticeItem } from '../../../api/notices';
import { describeError, useReportError } from '../../../components/apiErrors';
import { useFormatTime } from '../../../components/format';
import { PageHeader } from '../../../components/PageHeader';
import { AttachmentList, KindTag, NoticeBody } from './bits';

/**
 * The signed-in user's own notices in the console (where the notification bell leads): the same
 * list and page as the phone's 通知, for people who work at a desk.
 */
export default function MyNoticesPage() {
  const id = useParams().id;
  return id ? <MyNoticeView id={Number(id)} /> : <MyNoticeList />;
}

function MyNoticeList() {
  const { t } = useTranslation();
  const report = useReportError();
  const time = useFormatTime();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: MyNoticeItem[]; total: number; unread: number } | null>(null);
  useEffect(() => {
    let live = true;
    myNotices({ page, pageSize: 20 }).then((r) => live && setData(r), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [page, report]);
  return (
    <>
      <PageHeader title={t('notices.mine.heading')} subtitle={data ? t('notices.mine.unread', { count: data.unread }) : undefined} />
      <Card size="small">
        <List<MyNoticeItem>
          loading={!data}
          dataSource={data?.items ?? []}
          locale={{ emptyText: t('notices.mine.empty') }}
          pagination={data && data.total > 20 ? { current: page, pageSize: 20, total: data.total, onChange: setPage } : false}
          renderItem={(n) => (
            <List.Item data-testid={`my-notice-${n.id}`}>
              <Space>
                <Badge status={n.readAt ? 'default' : 'processing'} />
                <KindTag kind={n.kind} />
                <Link to={`/notices/${n.id}`}>{n.readAt ? n.title : <strong>{n.title}</strong>}</Link>
              </Space>
              <Typography.Text type="secondary">{time(n.publishedAt)}</Typography.Text>
            </List.Item>
          )}
        />
      </Card>
    </>
  );
}

function MyNoticeView({ id }: { id: number }) {
  const { t } = useTranslation();
  const time = useFormatTime();
  const [notice, setNotice] = useState<MyNotice | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Opening the page is reading it: the receipt is written once, on the first open.
  useEffect(() => {
    let live = true;
    markNoticeRead(id).then((n) => live && setNotice(n), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id]);
  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return <Result status={missing ? '404' : 'warning'} title={missing ? t('notices.detail.notFound') : describeError(t, error)} extra={<Link to="/notices">{t('notices.mine.back')}</Link>} />;
  }
  if (!notice) return <Skeleton active paragraph={{ rows: 8 }} />;
  return (
    <>
      <PageHeader
        breadcrumb={<Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/notices">{t('notices.mine.heading')}</Link> }, { title: notice.title }]} />}
        title={notice.title}
        subtitle={
          <Space size={6}>
            <KindTag kind={notice.kind} />
            <span>{`${time(notice.publishedAt)} · ${notice.publishedBy ?? ''}`}</span>
          </Space>
        }
      />
      <Card size="small">
        <NoticeBody html={notice.bodyHtml} testId="my-notice-body" />
        {notice.attachments.length > 0 && (
          <>
            <h4>{t('notices.compose.attachments')}</h4>
            <AttachmentList items={notice.attachments} />
          </>
        )}
      </Card>
    </>
  );
}
