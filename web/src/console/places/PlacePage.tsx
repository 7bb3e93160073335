import { useCallback, useEffect, useState } from 'react';
import { Breadcrumb, Button, Card, Col, Descriptions, Empty, List, Result, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { archivePlace, placeHistory, type PlaceHistory } from '../../api/places';
import { useReportError } from '../../components/apiErrors';
import { FullPageSpin } from '../../components/FullPageSpin';
import { PageHeader } from '../../components/PageHeader';
import { useConfirmAction } from '../../components/useConfirmAction';
import { useFormatShort } from '../directives/bits';
import { KindTag, NextDue, RiskTag } from './bits';
import { FindingsList, InspectionsList } from './History';
import { PlaceModal } from './PlaceModal';

/** One key place: what it is, who answers for it, its checklist, and its whole history of inspections and findings. */
export default function PlacePage() {
  const { t } = useTranslation();
  const report = useReportError();
  const navigate = useNavigate();
  const formatShort = useFormatShort();
  const id = Number(useParams().id);
  const [data, setData] = useState<PlaceHistory | null>(null);
  const [missing, setMissing] = useState(false);
  const [editing, setEditing] = useState(false);

  const load = useCallback(async () => {
    try {
      setData(await placeHistory(id));
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 400)) setMissing(true);
      else report(e);
    }
  }, [id, report]);
  useEffect(() => {
    void load();
  }, [load]);
  const confirm = useConfirmAction(load);

  if (missing) return <Result status="404" title={t('places.page.notFound')} extra={<Link to="/places/register">{t('places.page.back')}</Link>} />;
  if (!data) return <FullPageSpin />;
  const { place } = data;
  const current = place.checklist.filter((i) => i.retiredAt === null);
  const retired = place.checklist.filter((i) => i.retiredAt !== null);

  return (
    <div data-testid="place-page">
      <PageHeader
        breadcrumb={<Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/places/register">{t('places.menu.register')}</Link> }, { title: place.name }]} />}
        title={place.name}
        subtitle={place.unitName}
        extra={
          <>
            {place.abilities.inspect && (
              <Button type="primary" onClick={() => navigate(`/places/register/${place.id}/inspect`)} data-testid="place-page-inspect">
                {t('places.list.inspect')}
              </Button>
            )}
            {place.abilities.edit && (
              <Button onClick={() => setEditing(true)} data-testid="place-page-edit">
                {t('common.edit')}
              </Button>
            )}
            {place.abilities.archive && (
              <Button danger onClick={() => confirm(t('places.list.archiveConfirm', { name: place.name }), true, () => archivePlace(place.id), t('places.list.archivedDone'))} data-testid="place-page-archive">
                {t('places.list.archive')}
              </Button>
            )}
          </>
        }
      />
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t('places.list.kind')}>
                <KindTag kind={place.kind} />
              </Descriptions.Item>
              <Descriptions.Item label={t('places.list.risk')}>
                <RiskTag risk={place.risk} />
              </Descriptions.Item>
              <Descriptions.Item label={t('places.list.responsible')}>
                <span data-testid="place-responsible-name">{place.responsibleName ?? <Typography.Text type="danger">{t('places.list.noResponsible')}</Typography.Text>}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('places.list.frequency')}>{t('places.list.everyNDays', { n: place.frequencyDays })}</Descriptions.Item>
              <Descriptions.Item label={t('places.list.lastInspected')}>{place.lastInspectedAt === null ? t('places.list.never') : formatShort(place.lastInspectedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('places.list.nextDue')}>
                <NextDue at={place.nextDueAt} due={place.due} />
              </Descriptions.Item>
              <Descriptions.Item label={t('places.form.address')} span={2}>
                {place.address ?? '—'}
              </Descriptions.Item>
              {place.archivedAt !== null && (
                <Descriptions.Item label={t('places.list.archived')} span={2}>
                  <Tag>{formatShort(place.archivedAt)}</Tag>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('places.page.checklist')} style={{ marginBottom: 16 }}>
            <List
              size="small"
              dataSource={current}
              renderItem={(i) => (
                <List.Item data-testid={`place-checklist-${i.id}`}>
                  <Space>
                    <span>
                      {i.position}. {i.text}
                    </span>
                    {i.openFinding && <Tag color="red">{t('places.page.openFinding')}</Tag>}
                  </Space>
                </List.Item>
              )}
            />
            {retired.length > 0 && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {t('places.page.retired')}: {retired.map((i) => i.text).join('、')}
              </Typography.Paragraph>
            )}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('places.page.findings')} style={{ marginBottom: 16 }}>
        {data.findings.length === 0 ? <Empty description={t('places.page.noFindings')} /> : <FindingsList findings={data.findings} />}
      </Card>
      <Card size="small" title={t('places.page.history')}>
        {data.inspections.length === 0 ? <Empty description={t('places.page.noInspections')} /> : <InspectionsList inspections={data.inspections} />}
      </Card>
      {editing && (
        <PlaceModal
          open
          place={place}
          defaultUnitId={place.unitId}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            void load();
          }}
        />
      )}
    </div>
  );
}
