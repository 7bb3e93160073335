import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { attachmentUrl, type Attachment } from '../../../api/files';
import type { Notice } from '../../../api/notices';

/** A notice's kind as a coloured tag. */
export function KindTag({ kind }: { kind: Notice['kind'] }) {
  const { t } = useTranslation();
  return <Tag color={kind === 'guidance' ? 'green' : kind === 'news' ? 'blue' : 'default'}>{t(`notices.kinds.${kind}`)}</Tag>;
}

export function NoticeStatusTag({ status }: { status: Notice['status'] }) {
  const { t } = useTranslation();
  return <Tag color={status === 'published' ? 'green' : 'default'}>{t(`notices.status.${status}`)}</Tag>;
}

/**
 * A notice's body as the server (or, in the preview, the same common/markup.ts) rendered it. The
 * HTML holds only the renderer's own tags with escaped text and checked URLs, so it is inserted as is.
 */
export function NoticeBody({ html, testId }: { html: string; testId?: string }) {
  return (
    <Typography>
      <div className="notice-body" style={{ lineHeight: 1.8, overflowWrap: 'anywhere' }} dangerouslySetInnerHTML={{ __html: html }} data-testid={testId} />
      <style>{'.notice-body img { max-width: 100%; height: auto; }'}</style>
    </Typography>
  );
}

const kb = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / (1024 * 1024)).toFixed(1)} MB`);

/** The attachments as download links, with their size. */
export function AttachmentList({ items }: { items: readonly Attachment[] }) {
  return (
    <ul style={{ paddingLeft: 18, margin: 0 }}>
      {items.map((a) => (
        <li key={a.id}>
          <a href={attachmentUrl(a.id)} target="_blank" rel="noreferrer" data-testid={`notice-attachment-${a.id}`}>
            {a.fileName}
          </a>{' '}
          <Typography.Text type="secondary">{kb(a.size)}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}
