import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { IncidentFile } from '../common/schemas/incidents.js';
import { fileBody } from '../web/src/console/incidents/file.js';

/** The console's filing form → the body of POST /incidents, which must pass the shared schema the server validates with. */
describe('the filing form as the server receives it', () => {
  it('trims the texts, reads the time in the deployment zone, and keeps only rows that name a person', () => {
    const body = fileBody(
      {
        unitId: 7,
        kind: 'suspected_case',
        severity: 'critical',
        title: '  旅客体温异常 ',
        description: ' 值机柜台一名旅客体温 38.6℃ ',
        occurredAt: dayjs('2022-04-12 18:30'),
        place: '  ',
        people: [{ personId: 12, involvement: 'case', note: ' 已隔离 ' }, { involvement: 'contact' }, { personId: 13 }],
      },
      'Asia/Shanghai',
    );
    expect(body).toEqual({
      unitId: 7,
      kind: 'suspected_case',
      severity: 'critical',
      title: '旅客体温异常',
      description: '值机柜台一名旅客体温 38.6℃',
      occurredAt: Date.parse('2022-04-12T10:30:00.000Z'),
      people: [
        { personId: 12, involvement: 'case', note: '已隔离' },
        { personId: 13, involvement: 'other' },
      ],
    });
    expect(IncidentFile.safeParse(body).success).toBe(true);
  });

  it('leaves the time to the server when none is picked', () => {
    const body = fileBody({ unitId: 1, kind: 'other', severity: 'general', title: 'x', description: 'y' }, 'Asia/Shanghai');
    expect(body).not.toHaveProperty('occurredAt');
    expect(IncidentFile.parse(body).people).toEqual([]);
  });
});
