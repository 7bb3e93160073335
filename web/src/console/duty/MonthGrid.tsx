import { Flex, Tag, Tooltip, Typography, theme } from 'antd';
import { FileTextOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { dayOf, type Day } from '../../../../common/day.js';
import type { Shift } from '../../api/duty';
import { clockFrom, clockOf, daysOfMonth, weekdayOf, type Hole } from './time';

interface Props {
  month: string;
  timeZone: string;
  shifts: readonly Shift[];
  gaps: readonly Hole[];
  /** Open a shift (to edit it, or to read it when the user may not edit). */
  onOpen(shift: Shift): void;
  /** Add a shift starting on this day; absent when the user may not edit. */
  onAdd?: (day: Day) => void;
}

/** A month of a unit's shifts as a calendar: each day lists the shifts starting on it, with the leader and officers, gaps in red. */
export function MonthGrid({ month, timeZone, shifts, gaps, onOpen, onAdd }: Props) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const days = daysOfMonth(month);
  const today = dayOf(Date.now(), timeZone);
  const byDay = new Map<Day, Shift[]>();
  for (const s of shifts) {
    const d = dayOf(s.startsAt, timeZone);
    byDay.set(d, [...(byDay.get(d) ?? []), s]);
  }
  const gapsByDay = new Map<Day, Hole[]>();
  for (const g of gaps) {
    const d = dayOf(g.startsAt, timeZone);
    gapsByDay.set(d, [...(gapsByDay.get(d) ?? []), g]);
  }
  const lead = weekdayOf(days[0]!);
  const cells: (Day | null)[] = [...Array<null>(lead).fill(null), ...days];
  while (cells.length % 7 !== 0) cells.push(null);

  return (
    <div data-testid="duty-month" style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))', gap: 4 }}>
      {t('duty.rosters.weekdays')
        .split(',')
        .map((w) => (
          <Typography.Text key={w} type="secondary" style={{ textAlign: 'center', fontSize: 12 }}>
            {w}
          </Typography.Text>
        ))}
      {cells.map((day, i) =>
        day === null ? (
          <div key={`blank-${i}`} />
        ) : (
          <div
            key={day}
            data-testid={`duty-day-${day}`}
            style={{
              minHeight: 110,
              padding: 6,
              borderRadius: token.borderRadius,
              border: `1px solid ${day === today ? token.colorPrimary : token.colorBorderSecondary}`,
              background: (gapsByDay.get(day)?.length ?? 0) > 0 ? token.colorErrorBg : token.colorBgContainer,
            }}
          >
            <Flex justify="space-between" align="center">
              <Typography.Text strong={day === today}>{Number(day.slice(8))}</Typography.Text>
              {onAdd && (
                <Tooltip title={t('duty.rosters.addShift')}>
                  <Typography.Link onClick={() => onAdd(day)} data-testid={`duty-add-${day}`} style={{ fontSize: 12 }}>
                    <PlusOutlined />
                  </Typography.Link>
                </Tooltip>
              )}
            </Flex>
            {(byDay.get(day) ?? []).map((s) => (
              <ShiftChip key={s.id} shift={s} day={day} timeZone={timeZone} onOpen={onOpen} />
            ))}
            {(gapsByDay.get(day) ?? []).map((g) => (
              <div key={`${g.role}-${g.startsAt}`} data-testid="duty-gap" style={{ fontSize: 12, color: token.colorError }}>
                {t('duty.rosters.missing', { role: t(`duty.roles.${g.role}`) })} {clockOf(g.startsAt, timeZone)}–{clockFrom(day, g.endsAt, timeZone, t('duty.rosters.nextDay'))}
              </div>
            ))}
          </div>
        ),
      )}
    </div>
  );
}

function ShiftChip({ shift, day, timeZone, onOpen }: { shift: Shift; day: Day; timeZone: string; onOpen(s: Shift): void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { leaders, officers } = shift;
  const short = leaders.length === 0 || officers.length === 0;
  return (
    <div
      role="button"
      tabIndex={0}
      onClick={() => onOpen(shift)}
      onKeyDown={(e) => e.key === 'Enter' && onOpen(shift)}
      data-testid={`duty-shift-${shift.id}`}
      style={{
        cursor: 'pointer',
        marginTop: 4,
        padding: '2px 4px',
        fontSize: 12,
        lineHeight: 1.5,
        borderRadius: 4,
        borderLeft: `3px solid ${short ? token.colorError : token.colorPrimary}`,
        background: token.colorFillQuaternary,
      }}
    >
      <Flex justify="space-between" gap={4}>
        <span>
          {clockOf(shift.startsAt, timeZone)}–{clockFrom(day, shift.endsAt, timeZone, t('duty.rosters.nextDay'))}
        </span>
        <span>
          {shift.swapped && (
            <Tooltip title={t('duty.shift.swapped')}>
              <SwapOutlined style={{ color: token.colorWarning }} />
            </Tooltip>
          )}
          {shift.hasHandover && (
            <Tooltip title={t('duty.shift.handover')}>
              <FileTextOutlined style={{ color: token.colorTextSecondary, marginInlineStart: 2 }} />
            </Tooltip>
          )}
        </span>
      </Flex>
      <div>
        <Tag color="blue" style={{ fontSize: 11, marginInlineEnd: 2, padding: '0 3px' }}>
          {t('duty.rolesShort.leader')}
        </Tag>
        {leaders.length > 0 ? leaders.map((m) => m.name).join('、') : <Typography.Text type="danger">—</Typography.Text>}
      </div>
      <div>
        <Tag style={{ fontSize: 11, marginInlineEnd: 2, padding: '0 3px' }}>{t('duty.rolesShort.officer')}</Tag>
        {officers.length > 0 ? officers.map((m) => m.name).join('、') : <Typography.Text type="danger">—</Typography.Text>}
      </div>
    </div>
  );
}
