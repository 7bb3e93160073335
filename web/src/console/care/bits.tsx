import { useEffect, useState } from 'react';
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CareActionKind as ActionKind, CareKind, CareNeedState as NeedState } from '../../api/care';

const KIND_COLOURS: Record<CareKind, string> = {
  centralised_quarantine: 'red',
  home_quarantine: 'orange',
  front_line: 'volcano',
  overseas_post: 'geekblue',
  family_illness: 'purple',
  other: 'default',
};
/** Open red (nothing done yet), in progress blue, met green, declined grey: the tasks' colours. */
export const NEED_COLOURS: Record<NeedState, string> = { open: 'red', in_progress: 'blue', met: 'green', declined: 'default' };
const ACTION_COLOURS: Record<ActionKind, string> = { call: 'blue', visit: 'cyan', delivery: 'green', allowance: 'gold', counselling: 'purple' };

export function CareKindTag({ kind }: { kind: CareKind }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLOURS[kind]}>{t(`care.kinds.${kind}`)}</Tag>;
}

export function ActionKindTag({ kind }: { kind: ActionKind }) {
  const { t } = useTranslation();
  return <Tag color={ACTION_COLOURS[kind]}>{t(`care.actionKinds.${kind}`)}</Tag>;
}

/** "HH:mm" now in an IANA zone, kept current each minute: an overseas person's local time. */
export function useLocalTime(timeZone: string | null): string | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!timeZone) return;
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, [timeZone]);
  if (!timeZone) return null;
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(now));
  } catch {
    return null; // a zone this browser does not know: say nothing rather than a wrong time
  }
}

/** 当地时间 HH:mm (Europe/…) for a person posted abroad; nothing for one at home. */
export function LocalTime({ timeZone }: { timeZone: string | null }) {
  const { t } = useTranslation();
  const time = useLocalTime(timeZone);
  if (!timeZone || !time) return null;
  return (
    <Typography.Text type="secondary" data-testid="care-local-time">
      {t('care.localTime', { time, zone: timeZone })}
    </Typography.Text>
  );
}

/** The last contact, red when the case is past its contact interval (or never contacted and due). */
export function LastContact({ at, uncontacted, format }: { at: number | null; uncontacted: boolean; format: (ms: number) => string }) {
  const { t } = useTranslation();
  const text = at === null ? t('care.list.never') : format(at);
  return <Typography.Text type={uncontacted ? 'danger' : at === null ? 'secondary' : undefined}>{uncontacted ? `${text} · ${t('care.list.uncontacted')}` : text}</Typography.Text>;
}
