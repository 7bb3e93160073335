import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { BUILTIN_TAGS } from '../../../../../common/roles.js';
import type { Campaign } from '../../../api/campaigns';

/** A tag's name: the built-in ones translated, free tags as typed. */
export function useTagName() {
  const { t } = useTranslation();
  return (tag: string) => ((BUILTIN_TAGS as readonly string[]).includes(tag) ? t(`tags.${tag as (typeof BUILTIN_TAGS)[number]}`) : tag);
}

export function TagNames({ tags }: { tags: readonly string[] }) {
  const name = useTagName();
  return (
    <>
      {tags.map((tag) => (
        <Tag key={tag} color="blue">
          {name(tag)}
        </Tag>
      ))}
    </>
  );
}

export function StatusTag({ status }: { status: Campaign['status'] }) {
  const { t } = useTranslation();
  return <Tag color={status === 'open' ? 'green' : 'default'}>{t(`campaigns.status.${status}`)}</Tag>;
}
