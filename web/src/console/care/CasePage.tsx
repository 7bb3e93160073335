import { useCallback, useEffect, useState } from 'react';
import { Breadcrumb, Button, Card, Col, Descriptions, Empty, Result, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { getCase, type CareCaseDetail as CaseDetail } from '../../api/care';
import { ApiError } from '../../api/client';
import { useReportError } from '../../components/apiErrors';
import { FullPageSpin } from '../../components/FullPageSpin';
import { PageHeader } from '../../components/PageHeader';
import { useFormatShort } from '../directives/bits';
import { ActionForm, ActionsTimeline } from './Actions';
import { CareKindTag, LastContact, LocalTime } from './bits';
import { CloseCaseModal, ReassignModal } from './CaseModals';
import { NeedsList } from './Needs';

/** One care case: who and why, the needs with their states, every contact in order, and the officer's tools. */
export default function CasePage() {
  const { t } = useTranslation();
  const report = useReportError();
  const formatShort = useFormatShort();
  const id = Number(useParams().id);
  const [data, setData] = useState<CaseDetail | null>(null);
  const [missing, setMissing] = useState(false);
  const [closing, setClosing] = useState(false);
  const [reassigning, setReassigning] = useState(false);

  const load = useCallback(async () => {
    try {
      setData(await getCase(id));
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 400)) setMissing(true);
      else report(e);
    }
  }, [id, report]);
  useEffect(() => {
    void load();
  }, [load]);

  if (missing) return <Result status="404" title={t('care.page.notFound')} extra={<Link to="/care/cases">{t('care.page.back')}</Link>} />;
  if (!data) return <FullPageSpin />;
  const c = data;
  const open = c.status === 'open';

  return (
    <div data-testid="care-case-page">
      <PageHeader
        breadcrumb={<Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/care/cases">{t('care.menu.cases')}</Link> }, { title: c.personName }]} />}
        title={c.personName}
        subtitle={
          <Space size={8} wrap>
            <span>{c.unitName}</span>
            <CareKindTag kind={c.kind} />
            {!open && <Tag data-testid="care-case-closed">{t('care.statuses.closed')}</Tag>}
            <LocalTime timeZone={c.timeZone} />
          </Space>
        }
        extra={
          open && (
            <>
              {data.abilities.reassign && (
                <Button onClick={() => setReassigning(true)} data-testid="care-case-reassign">
                  {t('care.page.reassign')}
                </Button>
              )}
              {data.abilities.close && (
                <Button danger onClick={() => setClosing(true)} data-testid="care-case-close">
                  {t('care.page.close')}
                </Button>
              )}
            </>
          )
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('care.list.period')}>{`${c.startsOn} → ${c.expectedEnd ?? t('care.list.openEnded')}`}</Descriptions.Item>
          <Descriptions.Item label={t('care.list.officer')}>
            <span data-testid="care-case-officer">{c.careOfficerName ?? <Typography.Text type="danger">{t('care.list.noOfficer')}</Typography.Text>}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('care.page.source')}>{t(`care.sources.${c.source}`)}</Descriptions.Item>
          <Descriptions.Item label={t('care.list.lastContact')}>
            <span data-testid="care-case-last-contact">
              <LastContact at={c.lastContactAt} uncontacted={c.uncontacted} format={formatShort} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('care.page.openedAt')}>{formatShort(c.openedAt)}</Descriptions.Item>
          {open && (
            <Descriptions.Item label={t('care.page.contactDue')}>
              <Typography.Text type={c.uncontacted ? 'danger' : undefined}>{c.contactDueAt === null ? '—' : formatShort(c.contactDueAt)}</Typography.Text>
              <Typography.Text type="secondary">{` · ${t('care.page.contactEvery', { n: c.contactDays })}`}</Typography.Text>
            </Descriptions.Item>
          )}
          {c.timeZone && <Descriptions.Item label={t('care.page.timeZone')}>{c.timeZone}</Descriptions.Item>}
          {c.note && (
            <Descriptions.Item label={t('care.page.note')} span={3}>
              {c.note}
            </Descriptions.Item>
          )}
          {!open && (
            <Descriptions.Item label={t('care.page.outcome')} span={3}>
              <span data-testid="care-case-outcome">{c.outcome ? t(`care.outcomes.${c.outcome}`) : '—'}</span>
              {c.outcomeNote && <span>{` · ${c.outcomeNote}`}</span>}
              {c.closedAt !== null && <Typography.Text type="secondary">{` · ${formatShort(c.closedAt)}`}</Typography.Text>}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('care.needs.title')} style={{ marginBottom: 16 }}>
            <NeedsList detail={data} onChanged={setData} />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('care.actions.title')} style={{ marginBottom: 16 }}>
            {open && data.abilities.write && <ActionForm caseId={c.id} onAdded={setData} />}
            {data.actions.length === 0 ? <Empty description={t('care.actions.empty')} /> : <ActionsTimeline actions={data.actions} />}
          </Card>
        </Col>
      </Row>
      {closing && (
        <CloseCaseModal
          caseId={c.id}
          onClose={() => setClosing(false)}
          onClosed={(d) => {
            setClosing(false);
            setData(d);
          }}
        />
      )}
      {reassigning && (
        <ReassignModal
          detail={data}
          onClose={() => setReassigning(false)}
          onSaved={(d) => {
            setReassigning(false);
            setData(d);
          }}
        />
      )}
    </div>
  );
}
