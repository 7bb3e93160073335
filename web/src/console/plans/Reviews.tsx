import { Button, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { openReviewChanges, type PlanReview } from '../../api/plans';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';

/** The reviews written on an incident or drill; "open changes" makes the plan's new draft and opens it in the editor. */
export function Reviews({ reviews }: { reviews: PlanReview[] }) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const navigate = useNavigate();
  const report = useReportError();
  const openChanges = async (r: PlanReview) => {
    try {
      const plan = await openReviewChanges(r.id);
      navigate(`/duty/plans/${plan.id}?draft=1`);
    } catch (e) {
      report(e);
    }
  };
  return (
    <List
      size="small"
      dataSource={reviews}
      renderItem={(r) => (
        <List.Item
          data-testid={`review-${r.id}`}
          actions={[
            r.draftVersion !== null ? (
              <Link key="draft" to={`/duty/plans/${r.planId}?draft=1`} data-testid={`review-draft-${r.id}`}>
                {t('plans.review.openDraft', { v: r.draftVersion })}
              </Link>
            ) : r.abilities.openChanges ? (
              <Button key="open" size="small" onClick={() => void openChanges(r)} data-testid={`review-open-changes-${r.id}`}>
                {t('plans.review.openChanges')}
              </Button>
            ) : null,
          ]}
        >
          <div style={{ width: '100%' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {`${r.writtenByName ?? '—'} · ${formatTime(r.writtenAt)} · ${t('plans.list.versionN', { v: r.version })}`}
            </Typography.Text>
            {r.wentWell && (
              <div>
                <Typography.Text strong>{t('plans.review.wentWell')}：</Typography.Text>
                <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{r.wentWell}</Typography.Text>
              </div>
            )}
            {r.late && (
              <div>
                <Typography.Text strong>{t('plans.review.late')}：</Typography.Text>
                <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{r.late}</Typography.Text>
              </div>
            )}
            {r.changes.length > 0 && (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{t('plans.review.changes')}：</Typography.Text>
                {r.changes.map((c, i) => (
                  <Typography.Text key={i}>{`${i + 1}. ${c.stepKey ? `[${c.stepKey}] ` : ''}${c.text}`}</Typography.Text>
                ))}
              </Space>
            )}
          </div>
        </List.Item>
      )}
    />
  );
}
