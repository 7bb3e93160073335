/**
 * Roles and what each may do. This table is the specification the authorization matrix test reads:
 * a role grants its permissions over the whole subtree of the unit it is granted on.
 */
export const ROLES = [
  'employee',
  'liaison',
  'unit_head',
  'command',
  'duty_officer',
  'care_officer',
  'supervisor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'units.read',
  'units.write',
  'people.read',
  'people.write',
  'people.phone', // see unmasked phone numbers
  'people.export',
  'people.import',
  'users.read',
  'users.write', // create, disable, reset passwords, API tokens
  'grants.write',
  'audit.read',
  // Check-in details, roll-ups and non-reporters of a subtree. Care officers see care data and
  // supervisors see failures of duty, neither sees health details, so neither holds it.
  'health.read',
  'health.write', // check in on a person's behalf (a liaison for someone without a phone)
  // Start and close testing campaigns over a subtree and import the lab's results: the command
  // office's work. Units see their progress with health.read and record samples with health.write.
  'campaigns.write',
  // Keep the deployment-wide list of medium and high risk areas (中高风险地区): the command office
  // records what the health authorities announce. Not unit-scoped: the list is one for everyone.
  'riskareas.write',
  // Set the deployment's health rhythm (cut-off, reminder times, digest time, watch and retention
  // days): one set for the whole organisation, so only held on a root unit counts.
  'health.settings',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ORG: Permission[] = ['units.read', 'people.read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // An employee acts on their own record through the mobile pages, not on the org.
  employee: [],
  liaison: [...READ_ORG, 'people.phone', 'people.export', 'health.read', 'health.write'],
  unit_head: [...READ_ORG, 'people.phone', 'people.export', 'health.read', 'health.write'],
  // The command office watches the dashboard; it does not check in for people.
  command: [...READ_ORG, 'people.phone', 'people.export', 'health.read', 'riskareas.write', 'campaigns.write', 'health.settings'],
  duty_officer: [...READ_ORG, 'people.phone'],
  care_officer: [...READ_ORG, 'people.phone'],
  // The discipline commission sees who is where and what failed, not contact or health details.
  supervisor: [...READ_ORG, 'audit.read'],
  admin: [...PERMISSIONS],
};

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Built-in person tags; any other non-empty string is a free tag. */
export const BUILTIN_TAGS = ['front_line', 'overseas', 'key_group'] as const;
