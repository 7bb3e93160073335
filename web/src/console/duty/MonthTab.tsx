import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, DatePicker, Flex, Skeleton, Typography } from 'antd';
import { PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { dayOf, startOfDay, type Day } from '../../../../common/day.js';
import { listGaps, listRosters, listShifts, type Gap, type Roster, type Shift } from '../../api/duty';
import { useReportError } from '../../components/apiErrors';
import { useTimeZone } from '../directives/bits';
import { GenerateModal } from './GenerateModal';
import { MonthGrid } from './MonthGrid';
import { ShiftModal } from './ShiftModal';
import { holesOf, mergeHoles, monthBounds } from './time';

interface MonthData {
  roster: Roster | null;
  /** The other units of the subtree that keep duty, to go to. */
  below: Roster[];
  shifts: Shift[];
  /** The server's coverage check of the coming week, for this unit only. */
  gaps: Gap[];
}

/** How many units below that keep duty are named above the month (the unit picker reaches the rest). */
const BELOW_SHOWN = 20;

/** The month of a unit's roster: the calendar, generating a period from a pattern, and editing single shifts. */
export function MonthTab({ unitId, canWrite: mayWrite, tick, onChanged, onOpenUnit }: { unitId: number; canWrite: boolean; tick: number; onChanged(): void; onOpenUnit(unitId: number): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const timeZone = useTimeZone();
  const [month, setMonth] = useState<Dayjs>(() => dayjs(dayOf(Date.now(), timeZone)));
  const [data, setData] = useState<MonthData | null>(null);
  const [generating, setGenerating] = useState(false);
  const [editing, setEditing] = useState<Shift | null>(null);
  const [adding, setAdding] = useState<{ startsAt: number; endsAt: number } | null>(null);
  const monthText = month.format('YYYY-MM');
  const { from, to } = monthBounds(monthText, timeZone);

  useEffect(() => {
    let live = true;
    setData(null);
    Promise.all([listRosters(unitId), listShifts(unitId, from, to), listGaps(unitId)]).then(
      ([rosters, shifts, gaps]) =>
        live &&
        setData({
          roster: rosters.items.find((r) => r.unitId === unitId) ?? null,
          below: rosters.items.filter((r) => r.unitId !== unitId),
          shifts: shifts.items,
          gaps: gaps.items.filter((g) => g.unitId === unitId),
        }),
      (e) => live && report(e),
    );
    return () => {
      live = false;
    };
  }, [unitId, from, to, tick, report]);

  const holes = useMemo(() => {
    if (!data) return [];
    const inMonth = data.gaps.filter((g) => g.endsAt > from && g.startsAt < to).map((g) => ({ ...g, startsAt: Math.max(g.startsAt, from), endsAt: Math.min(g.endsAt, to) }));
    return mergeHoles([...holesOf(data.shifts, from, to), ...inMonth]);
  }, [data, from, to]);

  const names = useMemo(() => new Map((data?.shifts ?? []).flatMap((s) => [...s.leaders, ...s.officers]).map((p) => [p.personId, p.name] as const)), [data]);

  const changed = useCallback(() => {
    setGenerating(false);
    setEditing(null);
    setAdding(null);
    onChanged();
  }, [onChanged]);

  // The roster's own answer says whether this user may change it; before there is one, the grants do.
  const canWrite = data?.roster ? data.roster.abilities.write : mayWrite;
  // A new shift on a day starts at the unit's hand-over hour (its last pattern's) and lasts its length.
  const pattern = data?.roster?.pattern ?? null;
  const add = (day: Day) => {
    const startsAt = startOfDay(day, timeZone) + (pattern?.handoverHour ?? 8) * 3_600_000;
    setAdding({ startsAt, endsAt: startsAt + (pattern?.shiftHours ?? 24) * 3_600_000 });
  };
  const today = dayjs(dayOf(Date.now(), timeZone));

  return (
    <>
      <Flex gap={8} wrap justify="space-between" style={{ marginBottom: 12 }}>
        <DatePicker picker="month" value={month} onChange={(m) => m && setMonth(m)} allowClear={false} data-testid="duty-month-picker" />
        {canWrite && (
          <Flex gap={8}>
            <Button icon={<PlusOutlined />} onClick={() => add(dayOf(Date.now(), timeZone))} data-testid="duty-add-shift">
              {t('duty.rosters.addShift')}
            </Button>
            <Button type="primary" icon={<ThunderboltOutlined />} onClick={() => setGenerating(true)} data-testid="duty-generate">
              {t('duty.rosters.generate')}
            </Button>
          </Flex>
        )}
      </Flex>
      {data && data.below.length > 0 && (
        <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }} data-testid="duty-below">
          <Typography.Text type="secondary">{t('duty.rosters.below')}</Typography.Text>
          {data.below.slice(0, BELOW_SHOWN).map((r) => (
            <Typography.Link key={r.unitId} onClick={() => onOpenUnit(r.unitId)} data-testid={`duty-below-${r.unitId}`}>
              {r.unitName}
            </Typography.Link>
          ))}
          {data.below.length > BELOW_SHOWN && <Typography.Text type="secondary">{t('duty.rosters.belowMore', { n: data.below.length - BELOW_SHOWN })}</Typography.Text>}
        </Flex>
      )}
      {!data ? (
        <Skeleton active />
      ) : (
        <>
          {data.shifts.length === 0 ? (
            <Alert type="info" showIcon title={t('duty.rosters.noRoster')} style={{ marginBottom: 12 }} data-testid="duty-month-empty" />
          ) : holes.length > 0 ? (
            <Alert type="error" showIcon title={t('duty.rosters.gapsInMonth', { n: holes.length })} style={{ marginBottom: 12 }} data-testid="duty-month-gaps" />
          ) : (
            <Alert type="success" showIcon title={t('duty.rosters.noGapsInMonth')} style={{ marginBottom: 12 }} data-testid="duty-month-covered" />
          )}
          <MonthGrid month={monthText} timeZone={timeZone} shifts={data.shifts} gaps={holes} onOpen={setEditing} onAdd={canWrite ? add : undefined} />
        </>
      )}
      {canWrite && (
        <GenerateModal
          unitId={unitId}
          hasRoster={data?.roster !== null}
          open={generating}
          pattern={pattern}
          names={names}
          defaultRange={month.isSame(today, 'month') ? [today, today.endOf('month')] : [month.startOf('month'), month.endOf('month')]}
          onClose={() => setGenerating(false)}
          onDone={changed}
        />
      )}
      <ShiftModal unitId={unitId} shift={editing} start={adding} onClose={() => (setEditing(null), setAdding(null))} onDone={changed} />
    </>
  );
}
