import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Checkbox, Empty, Flex, Form, Input, InputNumber, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { RoomCreate } from '../../../../common/schemas/meetings.js';
import { archiveRoom, createRoom, listRooms, updateRoom, type Room } from '../../api/meetings';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { UnitPicker } from '../../components/UnitPicker';
import { useConfirmAction } from '../../components/useConfirmAction';
import { zodRule } from '../../components/zodRule';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';

/** 会议室: the rooms of a unit's subtree, by building, with their seats; add, change, archive. */
export default function RoomsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const report = useReportError();
  const { unitId, setUnitId } = useScope();
  const [archived, setArchived] = useState(false);
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: Room[]; total: number } | null>(null);
  const [editing, setEditing] = useState<Room | 'new' | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const confirm = useConfirmAction(reload);
  // The server decides per unit; the union of grants only says whether to offer the button.
  const canWrite = me.permissions.includes('places.write');

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [unitId, archived]);
  useEffect(() => {
    if (unitId === null) return;
    let live = true;
    setData(null);
    listRooms({ unitId, archived, ...paging }).then(
      (r) => live && setData(r),
      (e) => {
        if (live) setData({ items: [], total: 0 });
        report(e);
      },
    );
    return () => {
      live = false;
    };
  }, [unitId, archived, paging, tick, report]);

  // Rooms of one building sit together: the list comes by unit, the eye reads by building.
  const rows = [...(data?.items ?? [])].sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN') || a.building.localeCompare(b.building, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN'));
  const columns: TableColumnsType<Room> = [
    { title: t('rooms.unit'), dataIndex: 'unitName', ellipsis: true },
    { title: t('rooms.building'), dataIndex: 'building', width: 160, render: (b: string) => b || <Typography.Text type="secondary">{t('rooms.noBuilding')}</Typography.Text> },
    { title: t('rooms.name'), dataIndex: 'name', render: (n: string, r) => <span data-testid={`room-${r.id}`}>{n}</span> },
    { title: t('rooms.capacity'), dataIndex: 'capacity', width: 100, align: 'right' },
    { title: t('rooms.ventilated'), dataIndex: 'ventilated', width: 100, render: (v: boolean) => (v ? <Tag color="green">{t('rooms.yes')}</Tag> : <Tag color="orange">{t('rooms.no')}</Tag>) },
    {
      title: '',
      key: 'actions',
      width: 150,
      render: (_, r) =>
        r.archivedAt === null && (
          <Space size={4}>
            {r.abilities.edit && (
              <Button size="small" type="link" onClick={() => setEditing(r)} data-testid={`room-edit-${r.id}`}>
                {t('common.edit')}
              </Button>
            )}
            {r.abilities.archive && (
              <Button size="small" type="link" danger onClick={() => confirm(t('rooms.confirmArchive', { name: r.name }), true, () => archiveRoom(r.id), t('rooms.archived'))} data-testid={`room-archive-${r.id}`}>
                {t('rooms.archive')}
              </Button>
            )}
          </Space>
        ),
    },
  ];

  return (
    <div data-testid="rooms-page">
      <PageHeader
        title={t('rooms.title')}
        subtitle={t('rooms.subtitle')}
        extra={
          <>
            <UnitPicker value={unitId} onChange={(id) => id && setUnitId(id)} style={{ width: 260 }} data-testid="rooms-unit" />
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="room-new">
                {t('rooms.new')}
              </Button>
            )}
          </>
        }
      />
      <Card size="small">
        <Flex gap={8} style={{ marginBottom: 12 }}>
          <Checkbox checked={archived} onChange={(e) => setArchived(e.target.checked)} data-testid="rooms-archived">
            {t('rooms.showArchived')}
          </Checkbox>
        </Flex>
        <Table<Room>
          rowKey="id"
          size="middle"
          loading={data === null}
          columns={columns}
          dataSource={rows}
          pagination={serverPagination(paging, setPaging, data?.total ?? 0, t)}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rooms.empty')} /> }}
          data-testid="rooms-table"
        />
      </Card>
      {editing !== null && <RoomModal room={editing === 'new' ? null : editing} unitId={unitId} onClose={() => setEditing(null)} onDone={reload} />}
    </div>
  );
}

interface RoomValues {
  unitId: number;
  name: string;
  building?: string;
  capacity: number;
  ventilated: boolean;
}
const FIELDS = ['unitId', 'name', 'building', 'capacity', 'ventilated'] as const;

/** Add a room (at the unit picked) or change one; the unit of a room does not change. */
function RoomModal({ room, unitId, onClose, onDone }: { room: Room | null; unitId: number | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<RoomValues>();
  const submit = async (v: RoomValues) => {
    const fields = { name: v.name.trim(), building: v.building?.trim() ?? '', capacity: v.capacity, ventilated: v.ventilated };
    try {
      if (room) await updateRoom(room.id, fields);
      else await createRoom({ unitId: v.unitId, ...fields });
      onDone();
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: FIELDS });
      throw e;
    }
  };
  return (
    <FormModal<RoomValues>
      title={room ? t('rooms.editTitle') : t('rooms.newTitle')}
      open
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={room ? { unitId: room.unitId, name: room.name, building: room.building, capacity: room.capacity, ventilated: room.ventilated } : { unitId: unitId ?? undefined, ventilated: true }}
      submitTestId="room-submit"
    >
      <Form.Item name="unitId" label={t('rooms.unit')} rules={[{ required: true, message: t('common.required') }]}>
        <UnitPicker disabled={room !== null} data-testid="room-form-unit" />
      </Form.Item>
      <Form.Item name="name" label={t('rooms.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, zodRule(RoomCreate.shape.name)]}>
        <Input maxLength={100} data-testid="room-form-name" />
      </Form.Item>
      <Form.Item name="building" label={t('rooms.building')} extra={t('rooms.buildingHelp')}>
        <Input maxLength={100} data-testid="room-form-building" />
      </Form.Item>
      <Form.Item name="capacity" label={t('rooms.capacity')} rules={[{ required: true, message: t('common.required') }]}>
        <InputNumber min={1} max={10_000} precision={0} style={{ width: 160 }} data-testid="room-form-capacity" />
      </Form.Item>
      <Form.Item name="ventilated" label={t('rooms.ventilated')} valuePropName="checked" extra={t('rooms.ventilatedHelp')}>
        <Switch data-testid="room-form-ventilated" />
      </Form.Item>
    </FormModal>
  );
}
