import { useEffect, useState } from 'react';
import { Alert, App, Button, Drawer, Empty, Flex, Input, InputNumber, Popover, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { CONTACT_SCORE, MAX_LOOKBACK_DAYS } from '../../../../common/schemas/contacts.js';
import { actOnContacts, contactCandidates, type ContactCandidate, type ContactCandidates } from '../../api/dining';
import { useReportError } from '../../components/apiErrors';
import { useFormatShort } from '../directives/bits';

/**
 * 密接候选: the people who shared with a positive or severe case over the look-back — their unit,
 * registered meetings, canteen slot, duty shifts — ranked by how much; pick some and open a health
 * watch for them or tell their units. Opened from a health watch; the server shows only people in
 * the reader's health scope.
 */
export function ContactsDrawer({ personId, onClose }: { personId: number; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const short = useFormatShort();
  const [days, setDays] = useState<number | null>(null);
  const [answer, setAnswer] = useState<ContactCandidates | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'watch' | 'notify_units' | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setAnswer(null);
    contactCandidates(personId, days ?? undefined).then(
      (r) => {
        if (!live) return;
        setAnswer(r);
        setPicked([]);
      },
      (e) => {
        if (!live) return;
        report(e);
        onClose();
      },
    );
    return () => {
      live = false;
    };
    // onClose changes with every render of the opener; the person and the look-back are what matter.
  }, [personId, days, tick, report]);

  const act = async (action: 'watch' | 'notify_units') => {
    setBusy(action);
    try {
      const r = await actOnContacts(personId, { personIds: picked, action, ...(note.trim() ? { note: note.trim() } : {}) });
      void message.success(action === 'watch' ? t('contacts.watched', { done: r.done, joined: r.joined }) : t('contacts.notified', { done: r.done }));
      setNote('');
      setTick((n) => n + 1);
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
    }
  };

  const shared = (c: ContactCandidate) => (
    <Space size={[4, 4]} wrap>
      {c.sameUnit && <Tag color="blue">{t('contacts.sameUnit')}</Tag>}
      {c.meetings.count > 0 && (
        <Popover title={t('contacts.meetings')} content={t('contacts.minutes', { n: c.meetings.minutes })}>
          <Tag color="purple">{t('contacts.meetingsN', { count: c.meetings.count })}</Tag>
        </Popover>
      )}
      {c.slots.length > 0 && (
        <Popover title={t('contacts.slots')} content={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{c.slots.map((s) => <li key={`${s.canteenId}-${s.meal}-${s.start}`}>{`${s.canteenName} ${t(`canteens.meals.${s.meal}`)} ${s.start}–${s.end}（${t('contacts.days', { n: s.days })}）`}</li>)}</ul>}>
          <Tag color="orange">{t('contacts.slotsN', { count: c.slots.reduce((n, s) => n + s.days, 0) })}</Tag>
        </Popover>
      )}
      {c.shifts.length > 0 && (
        <Popover title={t('contacts.shifts')} content={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{c.shifts.map((s) => <li key={`${s.unitId}-${s.from}`}>{`${s.unitName} ${short(s.from)}–${short(s.to)}`}</li>)}</ul>}>
          <Tag color="cyan">{t('contacts.shiftsN', { count: c.shifts.length })}</Tag>
        </Popover>
      )}
    </Space>
  );
  const columns: TableColumnsType<ContactCandidate> = [
    { title: t('contacts.rank'), key: 'rank', width: 60, render: (_, _c, i) => i + 1 },
    { title: t('contacts.name'), dataIndex: 'name', width: 110, render: (n: string, c) => <span data-testid={`contact-${c.personId}`}>{n}</span> },
    { title: t('contacts.employeeNo'), dataIndex: 'employeeNo', width: 110 },
    { title: t('contacts.unit'), dataIndex: 'unitName', ellipsis: true },
    { title: t('contacts.score'), dataIndex: 'score', width: 80, align: 'right' },
    { title: t('contacts.shared'), key: 'shared', render: (_, c) => shared(c) },
    { title: t('contacts.watch'), dataIndex: 'underWatch', width: 90, render: (w: boolean) => (w ? <Tag color="red">{t('contacts.underWatch')}</Tag> : '—') },
  ];

  return (
    <Drawer open width={1000} title={answer ? t('contacts.title', { name: answer.personName }) : t('contacts.titleBare')} onClose={onClose} loading={!answer} data-testid="contacts-drawer">
      {answer && (
        <Flex vertical gap={12}>
          <Flex gap={8} align="center" wrap>
            <Typography.Text>{t('contacts.lookBack')}</Typography.Text>
            <InputNumber min={1} max={MAX_LOOKBACK_DAYS} precision={0} value={days ?? answer.days} onChange={(v) => v && setDays(v)} addonAfter={t('contacts.daysUnit')} style={{ width: 130 }} data-testid="contacts-days" />
            <Typography.Text type="secondary">{t('contacts.range', { from: answer.fromDay, to: answer.toDay, unit: answer.unitName })}</Typography.Text>
          </Flex>
          <Typography.Text type="secondary">{t('contacts.scoring', { meeting: CONTACT_SCORE.meetingMinute, shift: CONTACT_SCORE.shiftMinute, slot: CONTACT_SCORE.slotDay, unit: CONTACT_SCORE.unit })}</Typography.Text>
          {answer.total > answer.items.length && <Alert type="info" showIcon title={t('contacts.more', { shown: answer.items.length, total: answer.total })} />}
          <Table<ContactCandidate>
            rowKey="personId"
            size="small"
            columns={columns}
            dataSource={answer.items}
            rowSelection={answer.abilities.act ? { selectedRowKeys: picked, onChange: (keys) => setPicked(keys as number[]) } : undefined}
            pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.none')} /> }}
            data-testid="contacts-table"
          />
          {answer.abilities.act && (
            <Flex gap={8} align="center" wrap>
              <Typography.Text>{t('contacts.picked', { count: picked.length })}</Typography.Text>
              <Input style={{ width: 280 }} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('contacts.notePlaceholder')} data-testid="contacts-note" />
              <Button type="primary" disabled={picked.length === 0} loading={busy === 'watch'} onClick={() => void act('watch')} data-testid="contacts-watch">
                {t('contacts.startWatch')}
              </Button>
              <Button disabled={picked.length === 0} loading={busy === 'notify_units'} onClick={() => void act('notify_units')} data-testid="contacts-notify">
                {t('contacts.notifyUnits')}
              </Button>
            </Flex>
          )}
        </Flex>
      )}
    </Drawer>
  );
}
