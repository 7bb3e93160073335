import { useMemo } from 'react';
import type { Me } from '../api';
import { addDays, dayOf } from '../../../../common/day.js';
import { useI18n, type MobileKey, type Translate } from '../i18n';
import { reasonOf as sharedReasonOf } from '../reasons';

/** The server's reasons (English, stable) in the page's language; anything else as sent. */
const REASONS: Record<string, MobileKey> = {
  'you are not on this shift': 'duty.reasons.notOnShift',
  'must be someone else': 'duty.reasons.someoneElse',
  'is on this shift already': 'duty.reasons.alreadyOn',
  'the other person is not on this shift': 'duty.reasons.theyAreNotOn',
  'you are on this shift already': 'duty.reasons.youAreOn',
  'has started': 'duty.reasons.started',
  'the shift has started': 'duty.reasons.started',
  'too late: the handover is written by 12 hours after the shift ends': 'duty.reasons.tooLate',
  'the people of the shift changed since the swap was asked': 'duty.reasons.changed',
  'person not found': 'duty.reasons.personNotFound',
};

/** Why the server refused, in the page's words where the duty table knows the reason (mobile/reasons.ts). */
export function reasonOf(t: Translate, err: unknown): string {
  return sharedReasonOf(t, err, REASONS);
}

/** Instants as the deployment's wall clock: "11/25 周三 08:00" and "08:00". */
export function useShiftFormat(me: Me) {
  const { lang, t } = useI18n();
  return useMemo(() => {
    const locale = lang === 'en' ? 'en-GB' : 'zh-CN';
    const timeZone = me.organisation.timeZone;
    const day = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });
    const dayOnly = (ms: number) => dayOf(ms, timeZone);
    return {
      at: (ms: number) => day.format(new Date(ms)),
      /** The end: only its time when on the start's day, "next day" and its time when on the day after. */
      range: (from: number, to: number) => {
        const end = dayOnly(to) === dayOnly(from) ? time.format(new Date(to)) : dayOnly(to) === addDays(dayOnly(from), 1) ? `${t('duty.nextDay')} ${time.format(new Date(to))}` : day.format(new Date(to));
        return `${day.format(new Date(from))} – ${end}`;
      },
    };
  }, [lang, t, me.organisation.timeZone]);
}
