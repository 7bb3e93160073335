import { useCallback, useEffect, useState } from 'react';
import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Empty, Flex, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { listNotifications, markAllNotificationsRead, markNotificationRead, type NotificationItem, type NotificationList } from '../../api/notify';
import { useNotificationStream } from '../../api/notificationStream';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';

/**
 * The header's bell: the unread count, and a drawer of my notifications (unread first) to read
 * and mark read. New ones arrive live (server-sent events); while the stream is down it polls.
 */
export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const report = useReportError();
  const fmt = useFormatTime();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<NotificationList | null>(null);

  const load = useCallback(async () => {
    try {
      setData(await listNotifications({ pageSize: 50, lang }));
    } catch {
      // A poll that fails (a network blip) says nothing; the next one tries again.
    }
  }, [lang]);

  useEffect(() => {
    void load();
  }, [load]);
  // A new one goes on top at once, with the server's unread count.
  useNotificationStream(
    lang,
    ({ notification, unread }) =>
      setData((d) => (d ? { ...d, items: [notification, ...d.items.filter((x) => x.id !== notification.id)], total: d.total + 1, unread } : d)),
    () => void load(),
  );

  async function read(n: NotificationItem) {
    try {
      await markNotificationRead(n.id, lang);
      await load();
    } catch (e) {
      report(e);
    }
  }

  async function readAll() {
    try {
      await markAllNotificationsRead();
      await load();
    } catch (e) {
      report(e);
    }
  }

  function follow(n: NotificationItem) {
    if (!n.readAt) void read(n);
    // Links to the mobile pages ('/m…') are for phones; everything else is a console page.
    if (n.link && n.link.startsWith('/') && !n.link.startsWith('/m')) {
      setOpen(false);
      navigate(n.link);
    }
  }

  const unread = data?.unread ?? 0;
  return (
    <>
      <Badge count={unread} size="small" overflowCount={99} data-testid="notify-badge">
        <Button
          type="text"
          icon={<BellOutlined style={{ fontSize: 18 }} />}
          aria-label={t('notify.bell', { count: unread })}
          title={t('notify.bell', { count: unread })}
          onClick={() => {
            setOpen(true);
            void load();
          }}
          data-testid="notify-bell"
        />
      </Badge>
      <Drawer
        open={open}
        width={420}
        title={t('notify.title')}
        onClose={() => setOpen(false)}
        extra={
          <Button size="small" disabled={unread === 0} onClick={() => void readAll()} data-testid="notify-read-all">
            {t('notify.readAll')}
          </Button>
        }
        data-testid="notify-drawer"
      >
        {data && data.items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notify.empty')} />}
        <Flex vertical gap={8}>
          {data?.items.map((n) => (
            <div
              key={n.id}
              data-testid={`notify-item-${n.id}`}
              data-unread={n.readAt === null}
              style={{
                padding: '10px 12px',
                borderRadius: token.borderRadius,
                border: `1px solid ${token.colorBorderSecondary}`,
                background: n.readAt ? token.colorBgContainer : token.colorPrimaryBg,
              }}
            >
              <Flex justify="space-between" align="baseline" gap={8}>
                <Typography.Link strong={!n.readAt} onClick={() => follow(n)} style={{ color: n.readAt ? token.colorText : undefined }}>
                  {n.title}
                </Typography.Link>
                {!n.readAt && (
                  <Button size="small" type="link" onClick={() => void read(n)} data-testid={`notify-mark-${n.id}`}>
                    {t('notify.markRead')}
                  </Button>
                )}
              </Flex>
              <Typography.Paragraph style={{ margin: '4px 0' }} type={n.readAt ? 'secondary' : undefined}>
                {n.text}
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fmt(n.createdAt)}
              </Typography.Text>
            </div>
          ))}
        </Flex>
        {data && data.total > data.items.length && (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12 }}>
            {t('notify.more', { count: data.total - data.items.length })}
          </Typography.Text>
        )}
      </Drawer>
    </>
  );
}
