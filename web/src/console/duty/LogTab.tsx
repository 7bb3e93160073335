import { useEffect, useState } from 'react';
import { Col, DatePicker, Empty, List, Row, Skeleton, Tag, Timeline, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { dayOf } from '../../../../common/day.js';
import { dutyLog, type DutyLog } from '../../api/duty';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { useFormatShort, useTimeZone } from '../directives/bits';

/** 值班日志: a day of a unit's duty: its shifts with who was on and each one's handover, and the day's entries (other modules add theirs). */
export function LogTab({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const report = useReportError();
  const timeZone = useTimeZone();
  const format = useFormatShort();
  const formatTime = useFormatTime();
  const [day, setDay] = useState<Dayjs>(() => dayjs(dayOf(Date.now(), timeZone)));
  const [log, setLog] = useState<DutyLog | null>(null);
  const dayText = day.format('YYYY-MM-DD');

  useEffect(() => {
    let live = true;
    setLog(null);
    dutyLog(unitId, dayText).then((r) => live && setLog(r), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [unitId, dayText, report]);

  const names = (people: { name: string }[]) => people.map((p) => p.name).join('、') || '—';
  return (
    <>
      <DatePicker value={day} onChange={(d) => d && setDay(d)} allowClear={false} style={{ marginBottom: 16 }} data-testid="duty-log-day" />
      {!log ? (
        <Skeleton active />
      ) : log.shifts.length === 0 && log.entries.length === 0 ? (
        <Empty description={t('duty.log.empty')} />
      ) : (
        <Row gutter={24}>
          <Col xs={24} lg={14}>
            <Typography.Title level={5}>{t('duty.log.shifts')}</Typography.Title>
            <List
              data-testid="duty-log-shifts"
              dataSource={log.shifts}
              locale={{ emptyText: t('duty.log.empty') }}
              renderItem={(s) => {
                const handover = log.handovers.find((h) => h.shiftId === s.id);
                return (
                  <List.Item data-testid={`duty-log-shift-${s.id}`} style={{ display: 'block' }}>
                    <Typography.Text strong>{`${format(s.startsAt)} – ${format(s.endsAt)}`}</Typography.Text>
                    <div>
                      <Tag color="blue">{t('duty.rolesShort.leader')}</Tag>
                      {names(s.leaders)}
                      <Tag style={{ marginInlineStart: 8 }}>{t('duty.rolesShort.officer')}</Tag>
                      {names(s.officers)}
                    </div>
                    {handover ? (
                      <div style={{ marginTop: 4 }}>
                        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} data-testid={`duty-log-handover-${s.id}`}>
                          {handover.body}
                        </Typography.Paragraph>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('duty.log.writtenBy', { name: handover.authorName ?? '—', time: formatTime(handover.writtenAt) })}
                        </Typography.Text>
                      </div>
                    ) : (
                      <Typography.Text type="secondary">{t('duty.log.noHandover')}</Typography.Text>
                    )}
                  </List.Item>
                );
              }}
            />
          </Col>
          <Col xs={24} lg={10}>
            <Typography.Title level={5}>{t('duty.log.entries')}</Typography.Title>
            <Timeline
              data-testid="duty-log-entries"
              items={log.entries.map((e, i) => ({
                key: `${e.at}-${i}`,
                children: (
                  <>
                    <Typography.Text type="secondary">{format(e.at)}</Typography.Text>{' '}
                    {e.source === 'incidents' && e.ref ? (
                      // The incident's page says what happened to whom, for those who may read it.
                      <Link to={`/duty/incidents/${e.ref.id}`}>{t('duty.log.incidentEntry', { id: e.ref.id, event: t(`incidents.events.${e.kind}` as 'incidents.events.filed') })}</Link>
                    ) : (
                      <Typography.Text>{e.title}</Typography.Text>
                    )}
                    {e.detail && <div style={{ whiteSpace: 'pre-wrap', color: 'var(--ant-color-text-secondary)' }}>{e.detail}</div>}
                  </>
                ),
              }))}
            />
          </Col>
        </Row>
      )}
    </>
  );
}
