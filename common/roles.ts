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
  // Record directives from above and meetings, send tasks down the tree, ask units for situation
  // reports: the command office's work. A unit passes a task on to its own units with tasks.work.
  'directives.write',
  // See directives, tasks, boards and report submissions of a subtree; supervisors see them too.
  'tasks.read',
  // Act for a unit on what it was sent: acknowledge, complete, split a task down, submit a report.
  // (The person named responsible for a task may act on that task without it.)
  'tasks.work',
  // Publish notices to a subtree and follow their read receipts.
  'notices.write',
  // The measures in force in a subtree and where each comes from.
  'measures.read',
  // Set a unit's own measure values; approve or refuse a child unit's stricter exception.
  'measures.write',
  // The duty rosters of a subtree: shifts, who is on duty now (phones with people.phone), coverage
  // gaps, handovers and the duty log. Supervisors see the gaps too: an uncovered hour is a failure.
  'duty.read',
  // Keep a unit's roster: generate a month from a pattern, change single shifts, approve swaps.
  'duty.write',
  // The incidents of a subtree and their timelines. Incidents name people and may say "suspected
  // case", so supervisors (no health details) do not hold it; they see skipped levels elsewhere.
  // Filing needs no permission: anyone with a grant in a unit may file there.
  'incidents.read',
  // Act for a level on an incident that reached it: acknowledge, instruct down, record actions,
  // resolve and close. The people on shift at that level's unit may do so without it.
  'incidents.handle',
  // Key places (重点场所) of a subtree with their inspections, findings and blind spots; rooms and
  // registered meetings (会议报备); canteens and their published dining plans. None of it names
  // anyone's health, so supervisors hold it: an uninspected place is a failure of duty.
  'places.read',
  // Keep the register: key places and their checklists, rooms, canteens and which units eat there.
  'places.write',
  // Inspect a key place against its checklist (督导检查); a failed item opens a rectification task.
  'places.inspect',
  // Register a meeting (会议报备) held by a unit; within the measures it is registered at once.
  'meetings.register',
  // Approve or refuse a meeting over a measure's limit (the unit head answers for it).
  'meetings.approve',
  // Plan staggered dining (错峰就餐): run the planner, adjust, publish a canteen's plan.
  'dining.plan',
  // Keep key groups (重点人群): saved selections of people by units and tags, used as targets.
  'groups.write',
  // Care cases (关爱帮扶) of a subtree with their needs and actions: the care officers' work. Nobody
  // else reads a case's contents (the person reads their own through the mobile pages); counselling
  // notes only their writer and the person.
  'care.read',
  // Open a care case (by hand or from a suggestion), record needs and actions, close it.
  'care.write',
  // Care figures of a subtree, counts without contents: open cases by kind, needs not met, cases
  // not contacted in time. The command office and supervisors see these, never a case.
  'care.figures',
  // The supervision view (监督): the responsibility matrix, unit scorecards and the overdue view,
  // naming who failed which duty and when, with no health or care details.
  'supervision.read',
  // Findings (问题线索 / 问责记录): open one about a unit or a person, link overdue items as
  // evidence, record the decision, close it. Visible to supervisors and the admin only.
  'supervision.findings',
  // Emergency plans (应急预案) of a subtree, the runs an incident started and the drills (演练).
  'plans.read',
  // Keep a unit's plans (new versions), run a plan as a drill, write the review after an incident.
  'plans.write',
  // Front-line volunteers (党员先锋队 / 青年突击队): the pool, posts, shifts and hours of a subtree.
  'volunteers.read',
  // Keep posts and their shifts, assign volunteers, ask the pool for people and answer such asks.
  'volunteers.write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ORG: Permission[] = ['units.read', 'people.read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // An employee acts on their own record through the mobile pages, not on the org.
  employee: [],
  liaison: [
    ...READ_ORG, 'people.phone', 'people.export', 'health.read', 'health.write', 'tasks.read', 'tasks.work', 'measures.read', 'duty.read', 'incidents.read',
    'places.read', 'places.inspect', 'meetings.register', 'plans.read', 'volunteers.read',
  ],
  unit_head: [
    ...READ_ORG, 'people.phone', 'people.export', 'health.read', 'health.write', 'tasks.read', 'tasks.work', 'notices.write', 'measures.read', 'measures.write',
    'duty.read', 'duty.write', 'incidents.read', 'incidents.handle',
    'places.read', 'places.write', 'places.inspect', 'meetings.register', 'meetings.approve', 'groups.write',
    'care.figures', 'supervision.read', 'plans.read', 'plans.write', 'volunteers.read', 'volunteers.write',
  ],
  // The command office watches the dashboard; it does not check in for people.
  command: [
    ...READ_ORG, 'people.phone', 'people.export', 'health.read', 'riskareas.write', 'campaigns.write', 'health.settings',
    'directives.write', 'tasks.read', 'tasks.work', 'notices.write', 'measures.read', 'measures.write',
    'duty.read', 'duty.write', 'incidents.read', 'incidents.handle',
    'places.read', 'places.write', 'places.inspect', 'meetings.register', 'meetings.approve', 'dining.plan', 'groups.write',
    'care.figures', 'supervision.read', 'plans.read', 'plans.write', 'volunteers.read', 'volunteers.write',
  ],
  duty_officer: [...READ_ORG, 'people.phone', 'measures.read', 'duty.read', 'incidents.read', 'incidents.handle', 'plans.read', 'volunteers.read'],
  care_officer: [...READ_ORG, 'people.phone', 'measures.read', 'care.read', 'care.write', 'care.figures'],
  // The discipline commission sees who is where and what failed, not contact or health details.
  // They inspect key places too (督导检查 is their word), and see blind spots.
  supervisor: [
    ...READ_ORG, 'audit.read', 'tasks.read', 'measures.read', 'duty.read', 'places.read', 'places.inspect',
    'care.figures', 'supervision.read', 'supervision.findings', 'plans.read',
  ],
  // Everything but a care case's contents: "care officers in scope and the person themselves see a
  // case" (issue 7). An admin who must read cases grants themselves care_officer, which is audited.
  admin: PERMISSIONS.filter((p) => p !== 'care.read' && p !== 'care.write'),
};

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Built-in person tags; any other non-empty string is a free tag. */
export const BUILTIN_TAGS = ['front_line', 'overseas', 'key_group'] as const;
