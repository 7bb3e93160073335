import type { ReactNode } from 'react';
import { ApartmentOutlined, AuditOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { Permission } from '../../../../common/roles.js';

/** The console's modules that exist so far, and the permissions that open each. */
export const MODULES = [
  { key: 'org', path: '/org', icon: <ApartmentOutlined />, needs: ['units.read', 'people.read'] },
  { key: 'users', path: '/users', icon: <SafetyCertificateOutlined />, needs: ['users.read'] },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, needs: ['audit.read'] },
] as const satisfies readonly { key: string; path: string; needs: readonly Permission[]; icon: ReactNode }[];

export function visibleModules(permissions: readonly Permission[]) {
  return MODULES.filter((m) => m.needs.some((p) => permissions.includes(p)));
}

