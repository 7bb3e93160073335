import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { TAG_COLOURS, tagLabel } from './labels';

export function TagList({ tags }: { tags: readonly string[] }) {
  const { t } = useTranslation();
  if (tags.length === 0) return <span style={{ color: 'var(--ant-color-text-quaternary)' }}>—</span>;
  return (
    <>
      {tags.map((tag) => (
        <Tag key={tag} color={TAG_COLOURS[tag]} style={{ marginInlineEnd: 4 }}>
          {tagLabel(t, tag)}
        </Tag>
      ))}
    </>
  );
}
