import type { TFunction } from 'i18next';
import { BUILTIN_TAGS, ROLES, type Role } from '../../../common/roles.js';
import { UNIT_KINDS } from '../../../common/schemas/org.js';

export const roleLabel = (t: TFunction, role: Role) => t(`roles.${role}`);
export const roleOptions = (t: TFunction) => ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }));

const isBuiltinTag = (tag: string): tag is (typeof BUILTIN_TAGS)[number] => (BUILTIN_TAGS as readonly string[]).includes(tag);
/** Built-in tags are translated; any other tag is shown as typed. */
export const tagLabel = (t: TFunction, tag: string) => (isBuiltinTag(tag) ? t(`tags.${tag}`) : tag);
export const builtinTagOptions = (t: TFunction) => BUILTIN_TAGS.map((tag) => ({ value: tag, label: tagLabel(t, tag) }));
export const TAG_COLOURS: Record<string, string> = { front_line: 'volcano', overseas: 'geekblue', key_group: 'gold' };

export const unitKindOptions = (t: TFunction) => UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKinds.${k}`) }));
