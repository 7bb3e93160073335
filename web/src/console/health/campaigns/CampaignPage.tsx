import { useCallback, useEffect, useState } from 'react';
import { App, Breadcrumb, Button, Card, Descriptions, Result, Skeleton, Space, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { closeCampaign, getCampaign, type Campaign } from '../../../api/campaigns';
import { ApiError } from '../../../api/client';
import { describeError, useReportError } from '../../../components/apiErrors';
import { PageHeader } from '../../../components/PageHeader';
import { StatusTag, TagNames } from './bits';
import { ProgressPanel } from './ProgressPanel';
import { ResultsImport } from './ResultsImport';

/** One campaign: who is due and how far each unit is (drill down), the not-yet-sampled with tick and scan, the lab's results. */
export default function CampaignPage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const id = Number(useParams().id);
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    getCampaign(id).then((c) => live && setCampaign(c), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id]);
  const refresh = useCallback(() => setTick((n) => n + 1), []);

  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return <Result status={missing ? '404' : 'warning'} title={missing ? t('campaigns.detail.notFound') : describeError(t, error)} extra={<Link to="/health/campaigns">{t('campaigns.detail.back')}</Link>} />;
  }
  if (!campaign) return <Skeleton active paragraph={{ rows: 8 }} />;

  const close = () =>
    modal.confirm({
      title: t('campaigns.detail.confirmClose', { name: campaign.name }),
      content: t('campaigns.detail.closeHint'),
      okText: t('campaigns.detail.close'),
      okButtonProps: { danger: true, 'data-testid': 'campaign-close-confirm' },
      onOk: async () => {
        try {
          setCampaign(await closeCampaign(campaign.id));
          void message.success(t('campaigns.detail.closed'));
        } catch (e) {
          report(e);
        }
      },
    });

  return (
    <>
      <PageHeader
        breadcrumb={<Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/health/campaigns">{t('campaigns.list.title')}</Link> }, { title: campaign.name }]} />}
        title={campaign.name}
        subtitle={<StatusTag status={campaign.status} />}
        extra={
          campaign.abilities.close && (
            <Button danger onClick={close} data-testid="campaign-close">
              {t('campaigns.detail.close')}
            </Button>
          )
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('campaigns.list.days')}>{`${campaign.startDay} ~ ${campaign.endDay}`}</Descriptions.Item>
          <Descriptions.Item label={t('campaigns.list.targets')}>
            <Space size={4} wrap>
              {campaign.units.length ? campaign.units.map((u) => <Tag key={u.id}>{u.name}</Tag>) : t('campaigns.detail.aboveScope')}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('campaigns.create.tags')}>{campaign.tags.length ? <TagNames tags={campaign.tags} /> : t('campaigns.detail.everyone')}</Descriptions.Item>
          {campaign.group && (
            <Descriptions.Item label={t('keyGroups.menu')}>
              <Tag color="purple" data-testid="campaign-group-name">
                {campaign.group.name}
              </Tag>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Tabs
        items={[
          { key: 'progress', label: t('campaigns.detail.progressTab'), children: <ProgressPanel campaign={campaign} tick={tick} onChanged={refresh} /> },
          ...(campaign.abilities.importResults
            ? [{ key: 'results', label: <span data-testid="campaign-results-tab">{t('campaigns.results.tab')}</span>, children: <ResultsImport campaignId={campaign.id} onImported={refresh} /> }]
            : []),
        ]}
      />
    </>
  );
}
