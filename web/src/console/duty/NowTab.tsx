import { useEffect, useState } from 'react';
import { Card, Col, Empty, Row, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { dutyNow, type NowAnswer, type ShiftPerson } from '../../api/duty';
import { useReportError } from '../../components/apiErrors';
import { useFormatShort } from '../directives/bits';

function Person({ p }: { p: ShiftPerson }) {
  const { t } = useTranslation();
  return (
    <div>
      <Typography.Text strong>{p.name}</Typography.Text>{' '}
      {p.phone && !p.phone.includes('*') ? (
        <Typography.Link href={`tel:${p.phone}`} copyable={{ text: p.phone }} data-testid={`duty-now-phone-${p.personId}`}>
          <PhoneOutlined /> {p.phone}
        </Typography.Link>
      ) : p.phone ? (
        <Tooltip title={t('duty.now.phoneHidden')}>
          <Typography.Text type="secondary">{p.phone}</Typography.Text>
        </Tooltip>
      ) : (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('duty.now.phoneHidden')}
        </Typography.Text>
      )}
    </div>
  );
}

/** 当前值班: who is on duty now at the unit and at each level above it that keeps duty, nearest first, with phones when shown. */
export function NowTab({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const report = useReportError();
  const format = useFormatShort();
  const [now, setNow] = useState<NowAnswer | null>(null);

  useEffect(() => {
    let live = true;
    setNow(null);
    dutyNow(unitId).then((r) => live && setNow(r), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [unitId, report]);

  if (!now) return <Skeleton active />;
  if (now.levels.length === 0) return <Empty description={t('duty.now.empty')} />;
  return (
    <Row gutter={[16, 16]} data-testid="duty-now">
      {now.levels.map((level, i) => (
        <Col key={level.unitId} xs={24} md={12} xl={8}>
          <Card
            size="small"
            title={
              <Space>
                <Tag color={i === 0 ? 'blue' : 'default'}>{i === 0 ? t('duty.now.own') : t('duty.now.up', { n: now.levels[0]!.depth - level.depth })}</Tag>
                {level.unitName}
              </Space>
            }
            extra={level.shift ? <Typography.Text type="secondary">{`${format(level.shift.startsAt)} – ${format(level.shift.endsAt)}`}</Typography.Text> : undefined}
            data-testid={`duty-now-${level.unitId}`}
          >
            {!level.keepsDuty ? (
              <Typography.Text type="secondary">{t('duty.now.noRoster')}</Typography.Text>
            ) : !level.shift ? (
              <Typography.Text type="danger">{t('duty.now.noShift')}</Typography.Text>
            ) : (
              <>
                <Typography.Text type="secondary">{t('duty.roles.leader')}</Typography.Text>
                {level.leaders.length > 0 ? level.leaders.map((p) => <Person key={p.personId} p={p} />) : <div><Typography.Text type="danger">{t('duty.now.nobody')}</Typography.Text></div>}
                <Typography.Text type="secondary">{t('duty.roles.officer')}</Typography.Text>
                {level.officers.length > 0 ? level.officers.map((p) => <Person key={p.personId} p={p} />) : <div><Typography.Text type="danger">{t('duty.now.nobody')}</Typography.Text></div>}
              </>
            )}
          </Card>
        </Col>
      ))}
    </Row>
  );
}
