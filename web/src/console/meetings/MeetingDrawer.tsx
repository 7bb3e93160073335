import { useEffect, useState } from 'react';
import { Button, Descriptions, Drawer, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { getRegistration, type MeetingRegistration } from '../../api/meetings';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { BreachTags, MeetingActions, MeetingStatusTag, useMeetingClock } from './bits';
import { RegisterModal } from './RegisterModal';

/** One registered meeting: where, when, how many, what it goes over and why, who decided, the listed attendees. */
export function MeetingDrawer({ id, onClose, onChanged }: { id: number; onClose(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const formatTime = useFormatTime();
  const clock = useMeetingClock();
  const [m, setM] = useState<MeetingRegistration | null>(null);
  const [tick, setTick] = useState(0);
  const [editing, setEditing] = useState(false);
  const changed = () => {
    setTick((n) => n + 1);
    onChanged();
  };

  useEffect(() => {
    let live = true;
    getRegistration(id).then(
      (r) => live && setM(r),
      (e) => {
        if (!live) return;
        report(e);
        onClose();
      },
    );
    return () => {
      live = false;
    };
    // onClose changes with every render of the list; the meeting to load is what matters.
  }, [id, tick, report]);

  return (
    <Drawer open width={600} title={m?.title ?? t('meetingRegs.title')} onClose={onClose} loading={!m} data-testid="meeting-drawer">
      {m && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('meetingRegs.status')}>
              <MeetingStatusTag status={m.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('meetingRegs.unit')}>{m.unitName}</Descriptions.Item>
            <Descriptions.Item label={t('meetingRegs.room')}>{m.room ? `${m.room.building ? `${m.room.building} · ` : ''}${m.room.name}（${t('meetingRegs.seats', { n: m.room.capacity })}）` : (m.place ?? '—')}</Descriptions.Item>
            <Descriptions.Item label={t('meetingRegs.time')}>{`${m.day} ${clock(m)}（${t('meetingRegs.minutesN', { n: m.minutes })}）`}</Descriptions.Item>
            <Descriptions.Item label={t('meetingRegs.attendees')}>{m.attendees}</Descriptions.Item>
            <Descriptions.Item label={t('rooms.ventilated')}>{m.ventilated ? t('rooms.yes') : <Tag color="orange">{t('rooms.no')}</Tag>}</Descriptions.Item>
            <Descriptions.Item label={t('meetingRegs.breaches')}>
              <BreachTags breaches={m.breaches} />
            </Descriptions.Item>
            {m.reason && <Descriptions.Item label={t('meetingRegs.reason')}>{m.reason}</Descriptions.Item>}
            {m.note && <Descriptions.Item label={t('meetingRegs.note')}>{m.note}</Descriptions.Item>}
            <Descriptions.Item label={t('meetingRegs.registeredBy')}>{`${m.registeredBy ?? '—'} · ${formatTime(m.registeredAt)}`}</Descriptions.Item>
            {m.decidedAt !== null && (
              <Descriptions.Item label={t('meetingRegs.decidedBy')}>
                {`${m.decidedBy ?? '—'} · ${formatTime(m.decidedAt)}`}
                {m.decisionNote && <Typography.Paragraph style={{ margin: 0 }}>{m.decisionNote}</Typography.Paragraph>}
              </Descriptions.Item>
            )}
            {m.cancelledAt !== null && (
              <Descriptions.Item label={t('meetingRegs.statuses.cancelled')}>
                {formatTime(m.cancelledAt)}
                {m.cancelNote && <Typography.Paragraph style={{ margin: 0 }}>{m.cancelNote}</Typography.Paragraph>}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('meetingRegs.form.attendeeList')}>
              {m.attendeeListSize === 0 ? (
                '—'
              ) : (
                <>
                  <Typography.Text type="secondary">{t('meetingRegs.listed', { count: m.attendeeListSize, shown: m.attendeeList.length })}</Typography.Text>
                  <div>
                    {m.attendeeList.map((p) => (
                      <Tag key={p.personId} style={{ marginTop: 4 }}>{`${p.name} · ${p.unitName}`}</Tag>
                    ))}
                  </div>
                </>
              )}
            </Descriptions.Item>
          </Descriptions>
          <Space>
            {m.abilities.edit && (
              <Button onClick={() => setEditing(true)} data-testid="meeting-edit">
                {t('meetingRegs.edit')}
              </Button>
            )}
            <MeetingActions meeting={m} onDone={changed} />
          </Space>
        </Space>
      )}
      {editing && m && <RegisterModal meeting={m} onClose={() => setEditing(false)} onDone={changed} />}
    </Drawer>
  );
}
