import { Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

const pre = { margin: 0, padding: 12, background: 'rgba(0,0,0,0.03)', borderRadius: 6, fontSize: 12, whiteSpace: 'pre-wrap' as const, wordBreak: 'break-all' as const };

function Json({ value }: { value: unknown }) {
  return <pre style={pre}>{value === undefined ? '—' : JSON.stringify(value, null, 2)}</pre>;
}

/** An entry's detail: before and after side by side when it has them, else the raw JSON. */
export function AuditDetail({ detail }: { detail: unknown }) {
  const { t } = useTranslation();
  if (detail && typeof detail === 'object' && ('before' in detail || 'after' in detail)) {
    const { before, after, ...rest } = detail as { before?: unknown; after?: unknown };
    return (
      <>
        <Row gutter={16}>
          <Col span={12}>
            <Typography.Text type="secondary">{t('audit.before')}</Typography.Text>
            <Json value={before} />
          </Col>
          <Col span={12}>
            <Typography.Text type="secondary">{t('audit.after')}</Typography.Text>
            <Json value={after} />
          </Col>
        </Row>
        {Object.keys(rest).length > 0 && (
          <div style={{ marginTop: 12 }}>
            <Typography.Text type="secondary">{t('audit.detail')}</Typography.Text>
            <Json value={rest} />
          </div>
        )}
      </>
    );
  }
  return <Json value={detail} />;
}
