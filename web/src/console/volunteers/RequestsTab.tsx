import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Flex, Modal, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { cancelRequest, listRequests, REQUEST_STATUSES, shiftGrid, type RequestStatus, type ShiftGrid, type Shift, type VolunteerRequest } from '../../api/volunteers';
import { useReportError } from '../../components/apiErrors';
import { serverPagination } from '../../components/serverPagination';
import { useConfirmAction } from '../../components/useConfirmAction';
import { useScope } from '../../state/scope';
import { useFormatShort, useTimeZone } from '../directives/bits';
import { dayOf } from '../../../../common/day.js';
import { AssignModal } from './PostsTab';

const STATUS_COLOURS: Record<RequestStatus, string> = { open: 'red', partly_filled: 'orange', filled: 'green', cancelled: 'default' };

/** 用人申请: requests of the picked subtree, open first; the pool's keeper answers by assigning people to the post's shifts. */
export function RequestsTab() {
  const { t } = useTranslation();
  const report = useReportError();
  const formatShort = useFormatShort();
  const { unitId } = useScope();
  const [status, setStatus] = useState<RequestStatus | undefined>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: VolunteerRequest[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const confirm = useConfirmAction(refresh);
  const [answering, setAnswering] = useState<VolunteerRequest | null>(null);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [status, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listRequests({ unitId: unitId ?? undefined, status, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, status, paging, tick, report]);

  const columns: TableColumnsType<VolunteerRequest> = [
    { title: t('volunteers.requests.post'), dataIndex: 'postTitle', width: 160, render: (v: string, r) => <span data-testid={`request-row-${r.id}`}>{v}</span> },
    { title: t('volunteers.requests.unit'), dataIndex: 'unitName', width: 140, ellipsis: true },
    { title: t('volunteers.requests.period'), key: 'period', width: 220, render: (_, r) => `${formatShort(r.from)} – ${formatShort(r.to)}` },
    { title: t('volunteers.requests.filled'), key: 'filled', width: 90, align: 'center', render: (_, r) => `${r.filled}/${r.count}` },
    {
      title: t('volunteers.requests.status'),
      key: 'status',
      width: 100,
      render: (_, r) => (
        <Tag color={STATUS_COLOURS[r.status]} data-testid={`request-status-${r.id}`}>
          {t(`volunteers.statuses.${r.status}`)}
        </Tag>
      ),
    },
    { title: t('volunteers.requests.people'), key: 'people', render: (_, r) => r.assignees.map((a) => a.name).join('、') },
    { title: t('volunteers.requests.note'), dataIndex: 'note', width: 160, ellipsis: true },
    { title: t('volunteers.requests.asked'), key: 'asked', width: 150, render: (_, r) => `${r.askedByName ?? ''} ${formatShort(r.askedAt)}` },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_, r) => (
        <Space size={0}>
          {r.abilities.answer && (
            <Button type="link" size="small" onClick={() => setAnswering(r)} data-testid={`request-answer-${r.id}`}>
              {t('volunteers.requests.answer')}
            </Button>
          )}
          {r.abilities.cancel && (
            <Button type="link" size="small" danger onClick={() => confirm(t('volunteers.requests.cancelConfirm'), true, () => cancelRequest(r.id), t('volunteers.requests.cancelled'))} data-testid={`request-cancel-${r.id}`}>
              {t('volunteers.requests.cancel')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card size="small">
      <Flex gap={8} style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={t('volunteers.requests.status')} style={{ width: 140 }} value={status} onChange={setStatus} options={REQUEST_STATUSES.map((s) => ({ value: s, label: t(`volunteers.statuses.${s}`) }))} />
      </Flex>
      <Table<VolunteerRequest> rowKey="id" size="small" loading={loading} columns={columns} dataSource={data.items} pagination={serverPagination(paging, setPaging, data.total, t)} data-testid="requests-table" />
      {answering && (
        <AnswerModal
          request={answering}
          onAssigned={refresh}
          onClose={() => setAnswering(null)}
        />
      )}
    </Card>
  );
}

/**
 * The post's shifts in the request's period that are short of people; 安排 opens the pool picker answering the request.
 * Each assignment refreshes the request list behind the modal at once, so its status is right however the modal is left.
 */
function AnswerModal({ request, onAssigned, onClose }: { request: VolunteerRequest; onAssigned: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const formatShort = useFormatShort();
  const timeZone = useTimeZone();
  const [grid, setGrid] = useState<ShiftGrid | null>(null);
  const [tick, setTick] = useState(0);
  const [picking, setPicking] = useState<Shift | null>(null);
  useEffect(() => {
    shiftGrid(request.postId, { from: dayOf(request.from, timeZone), to: dayOf(request.to, timeZone) }).then(setGrid, report);
  }, [request.postId, request.from, request.to, timeZone, tick, report]);
  const shifts = (grid?.shifts ?? []).filter((s) => s.startsAt < request.to && s.endsAt > request.from);
  return (
    <Modal title={t('volunteers.requests.answerTitle', { post: request.postTitle, unit: request.unitName })} open onCancel={onClose} footer={null} width={640} destroyOnHidden>
      <Typography.Paragraph type="secondary">{request.note}</Typography.Paragraph>
      <Table<Shift>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={shifts}
        columns={[
          { title: t('volunteers.grid.time'), key: 'time', render: (_, s) => `${formatShort(s.startsAt)} – ${formatShort(s.endsAt)}` },
          { title: t('volunteers.grid.people'), key: 'people', render: (_, s) => s.assignees.map((a) => a.name).join('、') },
          { title: t('volunteers.grid.staffed'), key: 'staffed', width: 90, render: (_, s) => <Tag color={s.short ? 'red' : 'green'}>{`${s.assignees.length}/${s.needed}`}</Tag> },
          {
            title: t('common.actions'),
            key: 'a',
            width: 80,
            render: (_, s) =>
              s.short && (
                <Button type="link" size="small" onClick={() => setPicking(s)} data-testid={`answer-shift-${s.id}`}>
                  {t('volunteers.grid.assign')}
                </Button>
              ),
          },
        ]}
      />
      {picking && grid && (
        <AssignModal
          post={grid.post}
          shift={picking}
          requestId={request.id}
          onClose={(done) => {
            setPicking(null);
            // Only an assignment changes the shifts and the request; a cancelled pick reloads nothing.
            if (!done) return;
            setTick((n) => n + 1);
            onAssigned();
          }}
        />
      )}
    </Modal>
  );
}
