import { useCallback, useEffect, useState } from 'react';
import { App, Breadcrumb, Button, Card, Descriptions, Form, Input, Modal, Result, Skeleton, Space, Tabs, Tag, type ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../../api/client';
import { getNotice, withdrawNotice, type Notice } from '../../../api/notices';
import { describeError, useReportError } from '../../../components/apiErrors';
import { useFormatTime } from '../../../components/format';
import { PageHeader } from '../../../components/PageHeader';
import { TagNames } from '../../health/campaigns/bits';
import { AttachmentList, KindTag, NoticeBody, NoticeStatusTag } from './bits';
import { ReceiptsPanel } from './ReceiptsPanel';

/** One notice: its text and files, and the read receipts by unit with the unread list and reminder. */
export default function NoticePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const time = useFormatTime();
  const id = Number(useParams().id);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    getNotice(id).then((n) => live && setNotice(n), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id, tick]);
  const refresh = useCallback(() => setTick((n) => n + 1), []);

  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return <Result status={missing ? '404' : 'warning'} title={missing ? t('notices.detail.notFound') : describeError(t, error)} extra={<Link to="/directives/notices">{t('notices.detail.back')}</Link>} />;
  }
  if (!notice) return <Skeleton active paragraph={{ rows: 8 }} />;

  const withdraw = async () => {
    setBusy(true);
    try {
      setNotice(await withdrawNotice(notice.id, reason.trim()));
      setWithdrawing(false);
      void message.success(t('notices.detail.withdrawn'));
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        breadcrumb={<Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/directives/notices">{t('notices.list.heading')}</Link> }, { title: notice.title }]} />}
        title={notice.title}
        subtitle={
          <Space size={4}>
            <KindTag kind={notice.kind} />
            <NoticeStatusTag status={notice.status} />
          </Space>
        }
        extra={
          notice.abilities.withdraw && (
            <Button danger onClick={() => setWithdrawing(true)} data-testid="notice-withdraw">
              {t('notices.detail.withdraw')}
            </Button>
          )
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('notices.compose.units')}>
            <Space size={4} wrap>
              {notice.units.length ? notice.units.map((u) => <Tag key={u.id}>{u.name}</Tag>) : t('notices.detail.aboveScope')}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('notices.compose.tags')}>{notice.tags.length ? <TagNames tags={notice.tags} /> : t('notices.detail.everyone')}</Descriptions.Item>
          {notice.group && (
            <Descriptions.Item label={t('keyGroups.menu')}>
              <Tag color="purple" data-testid="notice-group-name">
                {notice.group.name}
              </Tag>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('notices.list.read')}>
            <span data-testid="notice-read-count">{t('notices.list.readOf', { read: notice.read, audience: notice.audience })}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('notices.list.publishedAt')}>{`${time(notice.publishedAt)} · ${notice.publishedBy ?? '—'}`}</Descriptions.Item>
          {notice.withdrawnAt !== null && (
            <Descriptions.Item label={t('notices.detail.withdrawnAt')}>{`${time(notice.withdrawnAt)} · ${notice.withdrawReason ?? ''}`}</Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Tabs
        items={[
          {
            key: 'body',
            label: t('notices.detail.bodyTab'),
            children: (
              <Card size="small">
                <NoticeBody html={notice.bodyHtml} testId="notice-body-html" />
                {notice.attachments.length > 0 && (
                  <>
                    <h4>{t('notices.compose.attachments')}</h4>
                    <AttachmentList items={notice.attachments} />
                  </>
                )}
              </Card>
            ),
          },
          { key: 'receipts', label: <span data-testid="notice-receipts-tab">{t('notices.detail.receiptsTab')}</span>, children: <ReceiptsPanel notice={notice} onChanged={refresh} /> },
        ]}
      />
      <Modal
        title={t('notices.detail.confirmWithdraw', { title: notice.title })}
        open={withdrawing}
        onCancel={() => setWithdrawing(false)}
        onOk={() => void withdraw()}
        okText={t('notices.detail.withdraw')}
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: busy, 'data-testid': 'notice-withdraw-confirm' } as ButtonProps}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t('notices.detail.reason')} required extra={t('notices.detail.withdrawHint')}>
            <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} autoSize={{ minRows: 2 }} data-testid="notice-withdraw-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
