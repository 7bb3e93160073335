import { Image, Space, Table, Timeline, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Attachment } from '../../../../common/schemas/files.js';
import { attachmentUrl } from '../../api/files';
import type { Finding, Inspection } from '../../api/places';
import { Deadline, TaskStatusTag, useFormatShort } from '../directives/bits';
import { FindingStatusTag, ResultTag } from './bits';

/** Photos as small thumbnails that open full size. */
export function Thumbnails({ photos, testId }: { photos: readonly Attachment[]; testId?: string }) {
  if (photos.length === 0) return null;
  return (
    <Image.PreviewGroup>
      <Space size={6} wrap data-testid={testId}>
        {photos.map((p) => (
          <Image key={p.id} src={attachmentUrl(p.id)} alt={p.fileName} width={64} height={64} style={{ objectFit: 'cover', borderRadius: 4 }} data-testid={`photo-${p.id}`} />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

/** The inspections of a place, newest first: each item's result, note and photos. */
export function InspectionsList({ inspections }: { inspections: readonly Inspection[] }) {
  const { t } = useTranslation();
  const formatShort = useFormatShort();
  return (
    <Timeline
      items={inspections.map((x) => ({
        color: x.failed > 0 ? 'red' : 'green',
        children: (
          <div data-testid={`inspection-${x.id}`}>
            <Space wrap>
              <Typography.Text strong>{formatShort(x.inspectedAt)}</Typography.Text>
              <Typography.Text>{x.inspectorName ? t('places.page.inspectedBy', { name: x.inspectorName }) : ''}</Typography.Text>
              <Typography.Text type="secondary">{t('places.page.summary', { passed: x.passed, failed: x.failed, na: x.notApplicable })}</Typography.Text>
            </Space>
            <ul style={{ listStyle: 'none', paddingInlineStart: 0, margin: '6px 0' }}>
              {x.items.map((i) => (
                <li key={i.itemId} style={{ marginBottom: 4 }} data-testid={`inspection-${x.id}-item-${i.itemId}`}>
                  <Space align="start" wrap>
                    <ResultTag result={i.result} />
                    <span>{i.text}</span>
                    {i.note && <Typography.Text type="secondary">{i.note}</Typography.Text>}
                  </Space>
                  <div style={{ paddingInlineStart: 8 }}>
                    <Thumbnails photos={i.photos} />
                  </div>
                </li>
              ))}
            </ul>
            {x.note && (
              <Typography.Paragraph style={{ marginBottom: 4, whiteSpace: 'pre-wrap' }}>
                {t('places.page.overallNote')}: {x.note}
              </Typography.Paragraph>
            )}
            <Thumbnails photos={x.photos} />
          </div>
        ),
      }))}
    />
  );
}

/** Findings with their rectification task: its state, deadline and a link to its page. */
export function FindingsList({ findings, showPlace = false, loading, pagination }: { findings: readonly Finding[]; showPlace?: boolean; loading?: boolean; pagination?: false | object }) {
  const { t } = useTranslation();
  const formatShort = useFormatShort();
  const columns: TableColumnsType<Finding> = [
    ...(showPlace
      ? ([
          {
            title: t('places.findings.place'),
            key: 'place',
            width: 200,
            render: (_, f) => (
              <div>
                <Link to={`/places/register/${f.placeId}`}>{f.placeName}</Link>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {f.unitName}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
        ] satisfies TableColumnsType<Finding>)
      : []),
    {
      title: t('places.findings.item'),
      key: 'item',
      render: (_, f) => (
        <div>
          {f.itemText}
          {f.note && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {f.note}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    { title: t('places.findings.status'), key: 'status', width: 130, render: (_, f) => <FindingStatusTag status={f.status} testId={`finding-status-${f.id}`} /> },
    {
      title: t('places.findings.task'),
      key: 'task',
      width: 200,
      render: (_, f) => (
        <Space size={4} wrap>
          <Link to={`/directives/tasks/${f.task.id}`} data-testid={`finding-task-${f.id}`}>
            {f.task.responsibleName}
          </Link>
          <TaskStatusTag task={f.task} />
        </Space>
      ),
    },
    { title: t('places.findings.deadline'), key: 'deadline', width: 110, render: (_, f) => <Deadline ms={f.task.deadline} overdue={f.task.overdue} /> },
    {
      title: t('places.findings.opened'),
      key: 'opened',
      width: 170,
      render: (_, f) => (
        <Space direction="vertical" size={0}>
          <span>{formatShort(f.openedAt)}</span>
          {f.failureCount > 1 && <Typography.Text type="danger">{t('places.findings.failures', { n: f.failureCount })}</Typography.Text>}
          {f.verifiedAt !== null && <Typography.Text type="success">{t('places.findings.verifiedAt', { time: formatShort(f.verifiedAt) })}</Typography.Text>}
        </Space>
      ),
    },
  ];
  return (
    <Table<Finding>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={[...findings]}
      loading={loading}
      pagination={pagination ?? false}
      rowClassName={(f) => (f.task.overdue ? 'place-finding-overdue' : '')}
      onRow={(f) => ({ 'data-testid': `finding-row-${f.id}`, style: f.task.overdue ? { background: '#fff1f0' } : undefined }) as React.HTMLAttributes<HTMLElement>}
    />
  );
}
