import { can, type Actor } from '../../http/actor.js';

/**
 * Who may do what with a health watch: health.read over the person's unit (of today) to see it,
 * health.write to add notes and close it. The abilities travel with the data to the console.
 */
export function watchAbilities(actor: Actor, personUnitPath: string, open: boolean) {
  const write = open && can(actor, 'health.write', personUnitPath);
  return { addNote: write, close: write };
}
